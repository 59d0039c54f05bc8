"""The parameter registry and the Scenario value object.

Every scenario parameter is declared once, here, as a `Param`. Sliders, validation, the
CLI's `--set`, URL and file codecs, Monte Carlo sampling and the assumptions table are all
generated from the registry, so adding a parameter is one entry.

Values are kept in the units a person reads (28.5 for 28.5 %), never as fractions: the
same number appears in the slider, the link, the file and the CLI.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace

from planner.messages import Message, WordedError, Wording, message
from planner.zone import Project

PROFILES: tuple[str, ...] = ("compound", "linear", "front", "back", "s")

GROUPS: tuple[str, ...] = ("construction", "occupancy_jobs", "mix", "economics", "pipeline", "uncertainty", "view")
BASES: tuple[str, ...] = ("top_down", "pipeline", "pipeline_plus")  # what the headline's forecast rests on
# The statuses still to open (planner.zone.STATUSES after "operating"), each with a completion
# probability and a slippage of its own: (status, Russian, English) words for their labels.
PIPELINE_STATUSES: tuple[tuple[str, str, str], ...] = (
    ("construction", "строится", "under construction"),
    ("approved", "одобрен", "approved"),
    ("announced", "объявлен", "announced"),
)

Value = float | str

# What a parameter can move. Floor area and new jobs are the goals' outcomes; economics are
# read off the projection (investment, companies); the Monte Carlo's own settings move only
# the draws; the years shown move the length of every series, not its values.
FLOOR_AREA, NEW_JOBS, ECONOMICS, MONTE_CARLO, YEARS = "floor_area", "new_jobs", "economics", "monte_carlo", "years"
OUTCOMES: tuple[str, ...] = (FLOOR_AREA, NEW_JOBS)
EFFECTS: tuple[str, ...] = (*OUTCOMES, ECONOMICS, MONTE_CARLO, YEARS)


class ParamError(WordedError):
    """A parameter value that the registry refuses; the message names key and range.

    `reason` is the same refusal without the key ("99 is out of range; use …"), for a reader
    that names the key itself (a link's notice)."""

    def __init__(self, wording: Wording, reason: Wording | None = None) -> None:
        super().__init__(wording)
        self.reason: Wording = wording if reason is None else reason


def refused(key: str, reason: Message) -> ParamError:
    """A ParamError "key: reason", in every language, that keeps the bare reason too."""
    return ParamError(message("param_keyed", what=key, reason=reason), reason)


@dataclass(frozen=True)
class Param:
    key: str
    group: str
    label_ru: str
    label_en: str
    unit_ru: str = ""
    unit_en: str = ""
    min: float = 0.0
    max: float = 0.0
    step: float = 1.0
    decimals: int = 0
    # Half-width of the triangular Monte Carlo distribution at 100 % overall uncertainty:
    # `spread` × the value plus `spread_abs` in the parameter's unit (for values that may be
    # 0, like a delay). Both 0: the parameter is not drawn.
    spread: float = 0.0
    spread_abs: float = 0.0
    whole: bool = False  # counts (a year, a number of draws, a seed), never fractions
    options: tuple[str, ...] = ()
    help_ru: str = ""
    help_en: str = ""
    # Which outcomes the parameter moves (EFFECTS): levers, goal seek and every cache key
    # are derived from it, and tests/test_effects.py checks it against the model itself.
    moves: frozenset[str] = frozenset()
    # +1 or −1: the direction in which the parameter helps each goal it moves, for goal seek
    # ("what must be true"); 0 for a parameter goal seek does not turn.
    lever: int = 0
    # The outcomes whose new part is exactly proportional to this parameter (new area ∝
    # delivery; new jobs ∝ delivery, density and occupancy): goal seek is then a ratio.
    proportional: frozenset[str] = frozenset()
    # Means the same in every zone (a delay, a share of the plan, the draws): in a zone of
    # zones it is set once for all of them. The others are each zone's own (a growth rate,
    # a density), taken from each zone's preset.
    shared: bool = False

    def __post_init__(self) -> None:
        unknown = self.moves - set(EFFECTS)
        if unknown or not self.proportional <= self.moves or (self.lever and not self.moves & set(OUTCOMES)):
            raise ValueError(f"{self.key}: inconsistent effects {sorted(self.moves)}, {sorted(self.proportional)}")

    def moves_any(self, effects: frozenset[str] | set[str]) -> bool:
        return bool(self.moves & effects)

    @property
    def is_choice(self) -> bool:
        return bool(self.options)

    def label(self, lang: str) -> str:
        return self.label_ru if lang == "ru" else self.label_en

    def unit(self, lang: str) -> str:
        return self.unit_ru if lang == "ru" else self.unit_en

    def help(self, lang: str) -> str:
        return self.help_ru if lang == "ru" else self.help_en

    def allowed(self) -> str:
        """What the parameter takes, in English (the CLI's list of parameters)."""
        return str(self.allowed_wording())

    def allowed_wording(self) -> Message:
        """What the parameter takes, in any language: "one of …", "a number from 0 to 40"."""
        if self.is_choice:
            return message("param_allowed_one_of", options=", ".join(self.options))
        kind = "param_allowed_whole" if self.whole else "param_allowed_number"
        return message(kind, min=f"{self.min:g}", max=f"{self.max:g}")

    def _refused(self, key: str, raw: object) -> ParamError:
        return refused(self.key, message(key, value=f"{shorten(raw)!s}", allowed=self.allowed_wording()))

    def parse(self, raw: object) -> Value:
        """Validate one value (typed or text) and return it in canonical form."""
        if self.is_choice:
            text = str(raw).strip()
            if text not in self.options:
                raise self._refused("param_not_allowed", raw)
            return text
        if isinstance(raw, bool):
            raise refused(self.key, message("param_expected", allowed=self.allowed_wording()))
        # float() would also read "２０" (other scripts' digits) and "1_0" (Python's separators).
        if isinstance(raw, str) and (not raw.isascii() or "_" in raw):
            raise self._refused("param_not_a_number", raw)
        # A comma is a decimal comma ("1,5" is 1.5), so "1,000" would silently read as 1:
        # a comma before groups of three digits is taken for a thousands separator and refused.
        if isinstance(raw, str) and GROUPED.fullmatch(raw.strip()):
            raise self._refused("param_grouped", raw)
        try:
            number = float(raw.strip().replace(",", ".")) if isinstance(raw, str) else float(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise self._refused("param_not_a_number", raw) from None
        if not math.isfinite(number) or not self.min <= number <= self.max:
            raise self._refused("param_out_of_range", raw)
        if self.whole and not number.is_integer():
            raise self._refused("param_not_whole", raw)
        # Kept exact, not rounded to the slider's step: an analyst may type 28.47.
        return number

    def format(self, value: Value) -> str:
        """Shortest exact text for files, links and the CLI (no locale): 22.5, 2031, compound."""
        if self.is_choice:
            return str(value)
        short = f"{float(value):.12g}"
        return short if float(short) == float(value) else repr(float(value))


GROUPED = re.compile(r"[+-]?[1-9][0-9]{0,2}(,[0-9]{3})+")


def shorten(raw: object, limit: int = 40) -> str:
    """Someone else's text made safe to quote in one line: non-printable characters (line
    breaks, controls, bidi overrides) become "?", and it is cut at `limit`."""
    text = raw if isinstance(raw, str) else repr(raw)
    text = "".join(ch if ch.isprintable() else "?" for ch in text[: limit + 1])
    return text if len(text) <= limit else text[:limit] + "…"


CORE_PARAMS: tuple[Param, ...] = (
    Param(
        key="growth",
        group="construction",
        label_ru="Рост площади",
        label_en="Floor area growth",
        unit_ru="% в год",
        unit_en="% a year",
        min=0,
        max=40,
        step=0.01,
        decimals=2,
        spread=0.25,
        help_ru=(
            "Средний годовой рост площади от последнего факта до целевого года. План ОЭЗ: "
            "(5,6 / 2,0)^(1/5) − 1 ≈ 22,9 % с 2025 года."
        ),
        help_en=(
            "Average annual floor-area growth from the latest actual to the target year. SEZ plan: "
            "(5.6 / 2.0)^(1/5) − 1 ≈ 22.9 % from 2025."
        ),
        moves=frozenset({FLOOR_AREA, NEW_JOBS, ECONOMICS}),
        lever=+1,
    ),
    Param(
        key="profile",
        group="construction",
        label_ru="Профиль ввода",
        label_en="Build profile",
        options=PROFILES,
        help_ru="Как прирост распределяется по годам: сложный процент, линейно, в начале, в конце, S-кривая.",
        help_en="How the increment is spread over the years: compound, linear, front-, back-loaded, S-curve.",
        moves=frozenset({FLOOR_AREA, NEW_JOBS, ECONOMICS}),
        shared=True,
    ),
    Param(
        key="delay",
        group="construction",
        label_ru="Задержка",
        label_en="Delay",
        unit_ru="лет",
        unit_en="years",
        min=0,
        max=5,
        step=0.1,
        decimals=1,
        spread_abs=1,
        help_ru="Сдвиг всей траектории вправо (дробные годы допустимы).",
        help_en="Shifts the whole path to the right (fractional years allowed).",
        moves=frozenset({FLOOR_AREA, NEW_JOBS, ECONOMICS}),
        lever=-1,
        shared=True,
    ),
    Param(
        key="delivery",
        group="construction",
        label_ru="Выполнение плана",
        label_en="Delivery",
        unit_ru="% площади",
        unit_en="% of planned area",
        min=0,
        max=120,
        spread=0.15,
        help_ru="Доля запланированного прироста площади, которая действительно построена.",
        help_en="Share of the planned floor-area increment actually built.",
        moves=frozenset({FLOOR_AREA, NEW_JOBS, ECONOMICS}),
        lever=+1,
        proportional=frozenset({FLOOR_AREA, NEW_JOBS}),
        shared=True,
    ),
    Param(
        key="build_cap",
        group="construction",
        label_ru="Предел ввода",
        label_en="Construction capacity",
        unit_ru="тыс. м² в год",
        unit_en="thousand m² a year",
        min=0,
        max=3000,
        step=10,
        help_ru=(
            "Сколько площади может открыться за год; что не помещается, переходит на следующий год. 0 — без предела."
        ),
        help_en="How much floor area can open in a year; what does not fit moves to the next year. 0 is no cap.",
        moves=frozenset({FLOOR_AREA, NEW_JOBS, ECONOMICS}),
    ),
    Param(
        key="land_cap",
        group="construction",
        label_ru="Предел плотности застройки",
        label_en="Floor area per hectare cap",
        unit_ru="м² на га",
        unit_en="m² per ha",
        min=0,
        max=40000,
        step=500,
        help_ru=(
            "Наибольшая площадь на гектар земли зоны; выше неё не строится. 0 — без предела; "
            "без площади земли не действует."
        ),
        help_en="The most floor area per hectare of the zone's land; nothing is built beyond it. 0 is no cap; "
        "without a land area it does not apply.",
        moves=frozenset({FLOOR_AREA, NEW_JOBS, ECONOMICS}),
    ),
    Param(
        key="occupancy",
        group="occupancy_jobs",
        label_ru="Заполняемость новых площадей",
        label_en="Occupancy of new space",
        unit_ru="%",
        unit_en="%",
        min=50,
        max=100,
        spread=0.05,
        help_ru="Долгосрочная заполняемость новых площадей. Технопарки: 99 % (новость 28.10.2025).",
        help_en="Long-run occupancy of new space. Technoparks: 99 % (news item of 28 Oct 2025).",
        moves=frozenset({NEW_JOBS, ECONOMICS}),
        lever=+1,
        proportional=frozenset({NEW_JOBS}),
    ),
    Param(
        key="ramp",
        group="occupancy_jobs",
        label_ru="Срок заполнения",
        label_en="Years to fill",
        unit_ru="лет",
        unit_en="years",
        min=0,
        max=5,
        step=0.5,
        decimals=1,
        spread_abs=1,
        help_ru="За сколько лет новая площадь заполняется до долгосрочного уровня.",
        help_en="Years for new space to fill to its long-run occupancy.",
        moves=frozenset({NEW_JOBS, ECONOMICS}),
        lever=-1,
    ),
    Param(
        key="density",
        group="occupancy_jobs",
        label_ru="Плотность рабочих мест",
        label_en="Job density",
        unit_ru="на 1 000 м²",
        unit_en="per 1,000 m²",
        min=5,
        max=60,
        step=0.1,
        decimals=1,
        spread=0.25,
        help_ru=(
            "Рабочих мест на 1 000 м² занятой новой площади; плотности кластеров масштабируются. Ввод ОЭЗ 2025 "
            "года: ≈ 19,5; технопарки: ≈ 28–30."
        ),
        help_en=(
            "Jobs per 1,000 m² of occupied new space; cluster densities scale with it. SEZ 2025 commissioning: ≈ "
            "19.5; technoparks: ≈ 28–30."
        ),
        moves=frozenset({NEW_JOBS}),
        lever=+1,
        proportional=frozenset({NEW_JOBS}),
    ),
    Param(
        key="density_trend",
        group="occupancy_jobs",
        label_ru="Тренд плотности",
        label_en="Density trend",
        unit_ru="% в год",
        unit_en="% a year",
        min=-5,
        max=5,
        step=0.1,
        decimals=1,
        spread_abs=1,
        help_ru="Ежегодное изменение плотности новых площадей (автоматизация — минус).",
        help_en="Annual change of new space's job density (automation is negative).",
        moves=frozenset({NEW_JOBS}),
        shared=True,
    ),
    Param(
        key="capex",
        group="economics",
        label_ru="Инвестиции на 1 м²",
        label_en="Investment per m²",
        unit_ru="тыс. ₽/м²",
        unit_en="thousand ₽/m²",
        min=10,
        max=1000,
        help_ru="Инвестиции на квадратный метр новой площади (технопарки: ≈ 90 тыс. ₽).",
        help_en="Investment per square metre of new floor area (technoparks: ≈ 90 thousand ₽).",
        moves=frozenset({ECONOMICS}),
    ),
    Param(
        key="company_m2",
        group="economics",
        label_ru="Площадь на компанию",
        label_en="Floor area per company",
        unit_ru="м²",
        unit_en="m²",
        min=100,
        max=20000,
        step=50,
        help_ru="Сколько занятой площади приходится на одну новую компанию.",
        help_en="Occupied floor area per new company.",
        moves=frozenset({ECONOMICS}),
    ),
    Param(
        key="basis",
        group="pipeline",
        label_ru="Основа прогноза",
        label_en="Forecast basis",
        options=BASES,
        help_ru=(
            "Сверху вниз — годовой рост; проекты — только названные проекты площадок; проекты и рост — "
            "проекты плюс годовой рост для ещё не названной части."
        ),
        help_en=(
            "Top-down is the annual growth; projects are the sites' named projects alone; projects and "
            "growth are the projects plus the annual growth for the part not yet identified."
        ),
        moves=frozenset({FLOOR_AREA, NEW_JOBS, ECONOMICS}),
        shared=True,
    ),
    *(
        Param(
            key=f"complete_{status}",
            group="pipeline",
            label_ru=f"Завершение: {ru}",
            label_en=f"Completion, {en}",
            unit_ru="%",
            unit_en="%",
            min=0,
            max=100,
            help_ru=f"Вероятность, что проект со статусом «{ru}» будет построен.",
            help_en=f"The chance that a project {en} is built.",
            moves=frozenset({FLOOR_AREA, NEW_JOBS, ECONOMICS}),
            shared=True,
        )
        for status, ru, en in PIPELINE_STATUSES
    ),
    *(
        Param(
            key=f"slip_{status}",
            group="pipeline",
            label_ru=f"Сдвиг: {ru}",
            label_en=f"Slippage, {en}",
            unit_ru="лет в среднем",
            unit_en="years on average",
            min=0,
            max=5,
            step=0.1,
            decimals=1,
            help_ru=(
                "Средняя задержка ввода в целых годах (геометрическое распределение: "
                "проект никогда не открывается раньше плана)."
            ),
            help_en=(
                "The mean delay of opening in whole years (a geometric distribution: "
                "a project never opens before its plan)."
            ),
            moves=frozenset({FLOOR_AREA, NEW_JOBS, ECONOMICS}),
            shared=True,
        )
        for status, ru, en in PIPELINE_STATUSES
    ),
    Param(
        key="slip_correlation",
        group="pipeline",
        label_ru="Связь сдвигов проектов",
        label_en="Slippage correlation",
        min=0,
        max=1,
        step=0.05,
        decimals=2,
        help_ru="Доля прогонов, в которых все проекты сдвигаются одинаково (1 — всегда вместе, 0 — независимо).",
        help_en="The share of draws in which every project slips alike (1 always together, 0 independently).",
        moves=frozenset({MONTE_CARLO}),
        shared=True,
    ),
    Param(
        key="uncertainty",
        group="uncertainty",
        label_ru="Неопределённость",
        label_en="Uncertainty",
        unit_ru="% ширины",
        unit_en="% of width",
        min=0,
        max=100,
        step=5,
        help_ru="Общая ширина диапазонов Монте-Карло: 100 % — полные диапазоны параметров, 0 — без разброса.",
        help_en="Overall width of the Monte Carlo ranges: 100 % is each parameter's full range, 0 no spread.",
        moves=frozenset({MONTE_CARLO}),
        shared=True,
    ),
    Param(
        key="draws",
        group="uncertainty",
        label_ru="Число прогонов",
        label_en="Draws",
        min=1000,
        max=200000,
        step=1000,
        whole=True,
        help_ru=(
            "Сколько сценариев Монте-Карло считается: точки Соболя, в 16 независимых перемешиваниях. "
            "8 000 точек дают вероятность не хуже 10 000 случайных прогонов; её стандартная ошибка "
            "показана рядом."
        ),
        help_en=(
            "How many Monte Carlo scenarios are run: Sobol points, in 16 independent scrambles. "
            "8,000 points give a probability no worse than 10,000 random draws; its standard error "
            "is shown beside it."
        ),
        moves=frozenset({MONTE_CARLO}),
        shared=True,
    ),
    Param(
        key="seed",
        group="uncertainty",
        label_ru="Зерно генератора",
        label_en="Random seed",
        min=0,
        max=999999,
        whole=True,
        help_ru="Одно и то же зерно даёт те же прогоны: ссылка воспроизводит и диапазоны.",
        help_en="The same seed gives the same draws, so a link reproduces the bands too.",
        moves=frozenset({MONTE_CARLO}),
        shared=True,
    ),
    Param(
        key="correlation",
        group="uncertainty",
        label_ru="Связь шоков зон",
        label_en="Zones' shock correlation",
        min=0,
        max=1,
        step=0.05,
        decimals=2,
        help_ru=(
            "Для нескольких зон вместе: доля прогонов, в которых зоны получают одни и те же шоки "
            "(1 — одни и те же, 0 — независимые)."
        ),
        help_en=(
            "For zones together: the share of draws in which the zones take the same shocks "
            "(1 the same, 0 independent)."
        ),
        moves=frozenset({MONTE_CARLO}),
        shared=True,
    ),
    Param(
        key="horizon",
        group="view",
        label_ru="Горизонт",
        label_en="Horizon",
        unit_ru="год",
        unit_en="year",
        min=2030,
        max=2035,
        whole=True,
        help_ru=(
            "Последний показанный год; после целевого года вводится столько же м² в год, сколько в последний год плана."
        ),
        help_en="Last year shown; after the target year as many m² open each year as in the plan's last year.",
        moves=frozenset({YEARS}),
        shared=True,
    ),
)

MIX_PREFIX = "mix_"


def mix_param(cluster_key: str, name_ru: str, name_en: str) -> Param:
    return Param(
        key=MIX_PREFIX + cluster_key,
        group="mix",
        label_ru=name_ru,
        label_en=name_en,
        unit_ru="% прироста",
        unit_en="% of new area",
        min=0,
        max=100,
        step=1,
        # The mix moves where new area goes, not how much: jobs follow the clusters' densities.
        moves=frozenset({NEW_JOBS}),
        help_ru=f"Доля новой площади, которая достаётся кластеру «{name_ru}». Доли нормируются к 100 %.",
        help_en=f"Share of new floor area going to the {name_en} cluster. Shares are normalised to 100 %.",
    )


@dataclass(frozen=True)
class Registry:
    params: tuple[Param, ...]

    def __post_init__(self) -> None:
        keys = [p.key for p in self.params]
        if len(keys) != len(set(keys)):
            raise ValueError(f"duplicate parameter keys: {keys}")

    def __iter__(self) -> Iterator[Param]:
        return iter(self.params)

    def __contains__(self, key: object) -> bool:
        return any(p.key == key for p in self.params)

    def __getitem__(self, key: str) -> Param:
        for param in self.params:
            if param.key == key:
                return param
        raise refused(shorten(key), message("param_unknown", known=", ".join(self.keys)))

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(p.key for p in self.params)

    def in_group(self, group: str) -> tuple[Param, ...]:
        return tuple(p for p in self.params if p.group == group)

    @property
    def mix_keys(self) -> tuple[str, ...]:
        return tuple(p.key for p in self.params if p.key.startswith(MIX_PREFIX))

    @property
    def shared(self) -> tuple[Param, ...]:
        return tuple(p for p in self.params if p.shared)

    @property
    def uncertain(self) -> tuple[Param, ...]:
        return tuple(p for p in self.params if p.spread > 0 or p.spread_abs > 0)


def build_registry(clusters: Iterable[tuple[str, str, str]]) -> Registry:
    """The core parameters plus one mix share per cluster `(key, name_ru, name_en)`."""
    params = CORE_PARAMS + tuple(mix_param(*cluster) for cluster in clusters)
    # A stable sort keeps declaration order inside each group, groups in GROUPS order.
    return Registry(tuple(sorted(params, key=lambda p: GROUPS.index(p.group))))


@dataclass(frozen=True)
class Scenario:
    """A complete, validated set of parameter values; hashable so caches can key on it.

    For a zone of zones, `parts` holds each zone's own scenario (its preset's values), and
    `values` the shared ones, which are laid on every part; a part's own parameters cannot
    be changed through the whole (open the zone to change them)."""

    values: tuple[tuple[str, Value], ...] = field(default_factory=tuple)
    parts: tuple[tuple[str, Scenario], ...] = ()
    # The analyst's own list of the zone's named projects; None: the zone's data as it is.
    pipeline: tuple[Project, ...] | None = None

    def __getitem__(self, key: str) -> Value:
        for name, value in self.values:
            if name == key:
                return value
        raise KeyError(key)

    def number(self, key: str) -> float:
        return float(self[key])

    def as_dict(self) -> dict[str, Value]:
        return dict(self.values)

    def with_values(self, registry: Registry, changes: Mapping[str, object]) -> Scenario:
        """A copy with `changes` validated by the registry; raises ParamError on the first bad one."""
        merged = self.as_dict()
        for key, raw in changes.items():
            param = registry[key]
            value = param.parse(raw)
            if self.parts and not param.shared and value != merged[key]:
                raise refused(key, message("param_own_in_zones"))
            merged[key] = value
        shared = {key: merged[key] for key in registry.keys if registry[key].shared}
        parts = tuple((name, part.with_values(registry, shared)) for name, part in self.parts)
        return replace(self, values=tuple((key, merged[key]) for key in registry.keys), parts=parts)

    def part(self, key: str) -> Scenario:
        return dict(self.parts)[key]

    @classmethod
    def combined(cls, registry: Registry, parts: tuple[tuple[str, Scenario], ...]) -> Scenario:
        """The scenario of a zone of zones: the first part's values stand for the whole (its
        shared values apply to every part; its own ones are only placeholders)."""
        first = parts[0][1]
        return cls(first.values, parts).with_values(registry, {})

    def differences(self, other: Scenario) -> dict[str, Value]:
        """Values of self that differ from `other` (used for short links and 'changed' marks)."""
        theirs = other.as_dict()
        return {key: value for key, value in self.values if theirs.get(key) != value}

    @classmethod
    def from_mapping(cls, registry: Registry, values: Mapping[str, object]) -> Scenario:
        missing = [key for key in registry.keys if key not in values]
        if missing:
            raise ParamError(message("param_missing", keys=", ".join(missing)))
        return cls(tuple((p.key, p.parse(values[p.key])) for p in registry))


def parse_assignments(registry: Registry, assignments: Iterable[str]) -> dict[str, Value]:
    """Parse CLI-style `KEY=VALUE` strings; raises ParamError naming the key and its range."""
    parsed: dict[str, Value] = {}
    for item in assignments:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep:
            raise refused(shorten(item), message("param_expected_assignment"))
        parsed[key] = registry[key].parse(raw)
    return parsed
