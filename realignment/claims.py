"""Check the article's distance claims against geodesic measurements of the data."""

from __future__ import annotations

from dataclasses import dataclass

from .content import Claim, Story
from .geodata import Geodata
from .geodesy import LatLon, distance_km, geodesic_path, nearest_on_line

# A measurement within this share of the stated figure "agrees" with it.
AGREEMENT = 0.10


@dataclass(frozen=True)
class Measurement:
    """One measured distance of a claim, with the endpoints it was measured between."""

    label: str
    km: float
    start: LatLon
    end: LatLon

    @property
    def path(self) -> list[LatLon]:
        return geodesic_path(self.start, self.end)


@dataclass(frozen=True)
class ClaimCheck:
    claim: Claim
    subject_name: str
    measurements: tuple[Measurement, ...]

    def ratio(self, m: Measurement) -> float:
        return m.km / self.claim.stated_km

    def agrees(self, m: Measurement) -> bool:
        return abs(self.ratio(m) - 1) <= AGREEMENT

    def verdict(self, lang: str = "en") -> str:
        """Say plainly what the numbers mean (in the language the check was measured for)."""
        stated = f"{self.claim.stated_km:g} km"
        ko = lang == "ko"
        if not self.measurements:
            return (
                f"기사의 {stated}에 대해 측정할 수 있는 것이 없다."
                if ko
                else f"Nothing could be measured for the stated {stated}."
            )
        first = self.measurements[0]
        if ko:
            parts = [
                f"{self.subject_name}은(는) {first.label}에서 직선으로 {first.km:.0f} km 떨어져 있다 "
                f"(기사가 말한 {stated}의 {self.ratio(first):.0%})."
            ]
        else:
            parts = [
                f"{self.subject_name} is {first.km:.0f} km from {first.label} in a straight line "
                f"({self.ratio(first):.0%} of the stated {stated})."
            ]
        fits = [m for m in self.measurements if self.agrees(m)]
        names = ", ".join(f"{m.label} ({m.km:.0f} km)" for m in fits)
        if self.agrees(first):
            parts.append(
                f"기사의 {stated}는 수도로부터의 거리와 맞는다."
                if ko
                else f"The article's {stated} fits the distance from the capital."
            )
        elif fits and ko:
            parts.append(
                f"기사의 {stated}는 오히려 {names}로부터의 거리와 맞는다. 수도 남쪽으로의 거리로는 과장이지만, "
                f"휴전선에서 멀어지는 이동으로는 대체로 맞다 (도로 거리는 직선 거리보다 더 길기도 하다)."
            )
        elif fits:
            parts.append(
                f"The stated {stated} matches instead the distance from {names}: "
                f"as a distance south of the capital it overstates it; as a move away from the "
                f"border it is about right (a road distance would also be longer than a straight line)."
            )
        elif ko:
            parts.append(f"측정한 거리 중 기사의 {stated}와 {AGREEMENT:.0%} 이내로 맞는 것은 없다.")
        else:
            parts.append(f"No measured distance is within {AGREEMENT:.0%} of the stated {stated}.")
        return " ".join(parts)


def check_claim(claim: Claim, story: Story, geo: Geodata, lang: str = "en") -> ClaimCheck:
    """Measure every distance a claim names, geodesically on WGS84."""
    subject = story.places[claim.subject]
    target: LatLon = subject.point
    rows: list[Measurement] = []
    for m in claim.measures:
        label = m.label.get(lang)
        if m.from_.place:
            origin = story.places[m.from_.place].point
            rows.append(Measurement(label, distance_km(origin, target), origin, target))
        elif m.from_.layer:
            line = geo.line(m.from_.layer)
            if line is None:
                continue
            near = nearest_on_line(target, line)
            rows.append(Measurement(label, near.km, near.point, target))
    return ClaimCheck(claim, subject.name.get(lang), tuple(rows))
