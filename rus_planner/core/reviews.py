"""The planner's review of each finding: a status and a position (ställningstagande).

A review belongs to a *conflict*, not to a row: it is keyed by the element (its layer
and feature id), the agency layer, the agency feature and the rule. Re-running the check
reorders and renumbers rows, but the same element meeting the same agency feature under
the same rule finds its review again. The agency feature is named by the agency's own id
(NVRID, SITECODE, ri_id...) where the finding carries one, so a review also survives a
refresh of the agency's data, which renumbers its features; by a hash of the agency feature's
geometry where the layer has no id (the same feature in a new download keeps it); by its
feature id where neither is known.
Reviews whose finding is gone are kept, so that a finding that comes back (an edit undone)
keeps its position.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone

from .texts import tr
from .vocabulary import DEFAULT_REVIEW_STATUS, REVIEW_STATUSES, review_labels

# Marks a key's feature part as the agency's own id ("id:NVR2001234"), never a feature id, or,
# without one, as the feature's geometry reference ("geom:g3f2a...", check_findings._feature_refs).
AGENCY_ID_PREFIX = "id:"
GEOMETRY_REF_PREFIX = "geom:"


def status_label(status: str) -> str:
    """The status as the planner reads it (Swedish: Ny, I dialog med myndigheten, ...)."""
    return review_labels(tr).get(status, status)


def _fid_text(value) -> str:
    """Feature ids as text; class D findings have no agency feature (empty)."""
    if value is None or value == "":
        return ""
    try:
        return str(int(value))
    except (TypeError, ValueError):
        return str(value)


@dataclass(frozen=True)
class ReviewKey:
    """What identifies a conflict across runs (never the row number)."""

    element_layer: str  # the element layer's id, or its name when no id is known
    element_fid: str
    agency_layer: str
    feature_fid: str
    rule_id: str

    @classmethod
    def of(cls, element_layer, element_fid, agency_layer, feature_fid, rule_id) -> ReviewKey:
        return cls(
            str(element_layer or ""),
            _fid_text(element_fid),
            str(agency_layer or ""),
            _fid_text(feature_fid),
            str(rule_id or ""),
        )

    @classmethod
    def of_finding(cls, finding: dict, element_layer_key: str | None = None) -> ReviewKey:
        """The key of a finding row (FINDING_FIELDS names); the layer id wins over the name,
        the agency's own feature id over the feature id."""
        agency_id = str(finding.get("agency_id") or "").strip()
        geometry_ref = str(finding.get("feature_ref") or "").strip()
        key = cls.by_feature_id(finding, element_layer_key)
        if agency_id:
            return replace(key, feature_fid=f"{AGENCY_ID_PREFIX}{agency_id}")
        if geometry_ref:
            return replace(key, feature_fid=f"{GEOMETRY_REF_PREFIX}{geometry_ref}")
        return key

    @classmethod
    def by_feature_id(cls, finding: dict, element_layer_key: str | None = None) -> ReviewKey:
        """The key by the agency feature's id in its layer: what reviews were keyed by before
        findings carried the agency's own ids and geometry references (projects saved earlier)."""
        return cls.of(
            element_layer_key or finding.get("element_layer_id") or finding.get("element_layer"),
            finding.get("element_fid"),
            finding.get("agency_layer"),
            finding.get("feature_fid"),
            finding.get("rule_id"),
        )

    def as_list(self) -> list[str]:
        return [self.element_layer, self.element_fid, self.agency_layer, self.feature_fid, self.rule_id]


@dataclass(frozen=True)
class Review:
    """One recorded review; ``reviewed_at`` is ISO 8601 UTC (empty until first recorded).

    Beside the planner's status and position it is the record of the dialogue with the
    agency: the agency's view (from its remissvar), the remissvar's date and diarienummer,
    the action decided and who decided it.
    """

    status: str = DEFAULT_REVIEW_STATUS
    position: str = ""
    reviewed_at: str = ""
    agency_view: str = ""
    response_date: str = ""  # the remissvar's date, YYYY-MM-DD
    diarienummer: str = ""
    action: str = ""
    decided_by: str = ""
    # The finding as the planner saw it when recording ("Logistikområde – Natura 2000: Kärret"): what
    # names the review once its finding is gone (resolved by change).
    label: str = ""

    @property
    def is_default(self) -> bool:
        return (
            self.status == DEFAULT_REVIEW_STATUS
            and not any(getattr(self, name) for name in DIALOGUE_FIELDS)
            and not self.position
        )


# The parts of a review that record the dialogue with the agency, as stored and exported.
DIALOGUE_FIELDS = ("agency_view", "response_date", "diarienummer", "action", "decided_by")


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class ReviewBook:
    """All reviews of a project, by key."""

    def __init__(self, reviews: dict[ReviewKey, Review] | None = None):
        self._reviews: dict[ReviewKey, Review] = dict(reviews or {})

    def __len__(self) -> int:
        return len(self._reviews)

    def __eq__(self, other) -> bool:
        return isinstance(other, ReviewBook) and self._reviews == other._reviews

    def __repr__(self) -> str:
        return f"ReviewBook({self._reviews!r})"

    def items(self):
        return self._reviews.items()

    def get(self, key: ReviewKey) -> Review:
        """The review of a conflict; a new, empty one when none was recorded."""
        return self._reviews.get(key, Review())

    def of_finding(self, finding: dict) -> Review:
        """The review of a finding row: by the agency's own id, else one recorded by the
        feature id before the finding carried it (a project saved by an earlier version)."""
        key = ReviewKey.of_finding(finding)
        if key in self._reviews:
            return self._reviews[key]
        return self.get(ReviewKey.by_feature_id(finding))

    def record(
        self,
        key: ReviewKey,
        status: str,
        position: str,
        when: str | None = None,
        label: str = "",
        **dialogue: str,
    ) -> Review:
        """Record a status, position and the dialogue's parts (``DIALOGUE_FIELDS``); refuses an
        unknown status or part (a programming error)."""
        if status not in REVIEW_STATUSES:
            raise ValueError(f"unknown review status {status!r}")
        unknown = set(dialogue) - set(DIALOGUE_FIELDS)
        if unknown:
            raise ValueError(f"unknown review parts {sorted(unknown)!r}")
        parts = {name: str(dialogue.get(name) or "").strip() for name in DIALOGUE_FIELDS}
        review = Review(status, position or "", when or now_iso(), **parts, label=label or "")
        self._reviews[key] = review
        return review

    def columns(self, finding: dict) -> dict[str, str]:
        """The review columns of a finding row as exports write them."""
        return review_columns(self.of_finding(finding))

    def resolved_by_change(self, findings) -> list[tuple[ReviewKey, Review]]:
        """The recorded reviews whose finding is gone from these findings: the element or the agency
        data changed so that the conflict is no more. They are kept (a finding that comes back keeps
        its position) and shown as "resolved by change", never silently lost."""
        present = set()
        for finding in findings:
            present.add(ReviewKey.of_finding(finding))
            present.add(ReviewKey.by_feature_id(finding))
        return [(key, review) for key, review in self.items() if key not in present and not review.is_default]

    def of_old_draft(self, finding: dict) -> Review:
        """The review of a finding of an earlier draft: recorded in this book, else the one its
        saved row carries in its review columns."""
        review = self.of_finding(finding)
        return review if not review.is_default else review_from_columns(finding)

    def carried(self, pairs) -> ReviewBook:
        """A copy with each review of an old finding also recorded under its new finding's key,
        for (old finding, new finding) pairs: a new draft's findings keep the old draft's positions."""
        book = ReviewBook(dict(self._reviews))
        for old, new in pairs:
            review = self.of_old_draft(old)
            if not review.is_default:
                book._reviews[ReviewKey.of_finding(new)] = review
        return book

    def to_records(self) -> list[dict]:
        """Plain records for storage (JSON in the project), in a stable order."""
        records = []
        for key, review in sorted(self._reviews.items(), key=lambda item: item[0].as_list()):
            record = {
                "key": key.as_list(),
                "status": review.status,
                "position": review.position,
                "reviewed_at": review.reviewed_at,
            }
            record.update(
                {name: getattr(review, name) for name in (*DIALOGUE_FIELDS, "label") if getattr(review, name)}
            )
            records.append(record)
        return records

    @classmethod
    def from_records(cls, records) -> ReviewBook:
        """Rebuild from stored records; malformed records are skipped, unknown statuses become new."""
        reviews: dict[ReviewKey, Review] = {}
        for record in records or []:
            if not isinstance(record, dict):
                continue
            key = record.get("key")
            if not isinstance(key, list) or len(key) != 5:
                continue
            status = record.get("status")
            reviews[ReviewKey(*(str(part) for part in key))] = Review(
                status if status in REVIEW_STATUSES else DEFAULT_REVIEW_STATUS,
                str(record.get("position") or ""),
                str(record.get("reviewed_at") or ""),
                **{name: str(record.get(name) or "") for name in DIALOGUE_FIELDS},
                label=str(record.get("label") or ""),
            )
        return cls(reviews)


def finding_label(finding: dict) -> str:
    """A finding as a planner names it: element – rule: agency feature."""
    element = finding.get("element_name") or finding.get("element_id") or ""
    rule = finding.get("rule_name") or finding.get("rule_id") or ""
    feature = finding.get("feature_name") or finding.get("agency_id") or ""
    text = f"{element} – {rule}" if element else str(rule)
    return f"{text}: {feature}" if feature else text


def review_from_columns(finding: dict) -> Review:
    """The review a saved findings row carries in its review columns (an export of an earlier draft)."""
    status = str(finding.get("review_status") or "")
    return Review(
        status if status in REVIEW_STATUSES else DEFAULT_REVIEW_STATUS,
        str(finding.get("review_position") or ""),
        str(finding.get("reviewed_at") or ""),
        **{name: str(finding.get(f"review_{name}") or "") for name in DIALOGUE_FIELDS},
    )


def review_columns(review: Review) -> dict[str, str]:
    """A review as the columns exports and reports write (vocabulary.REVIEW_FIELDS)."""
    return {
        "review_status": review.status,
        "review_position": review.position,
        "reviewed_at": review.reviewed_at,
        **{f"review_{name}": getattr(review, name) for name in DIALOGUE_FIELDS},
    }
