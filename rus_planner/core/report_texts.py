"""Every fixed text of a consultation report, in the report's language.

English sources translated through the plugin's Swedish catalogue (core/texts.translate), so
the report's language is chosen per run, whatever language QGIS runs in.
"""

from __future__ import annotations

from .texts import translate


def translator_for(language: str):
    """A ``text -> text`` function translating English sources into the report language."""

    return lambda text: translate(language, text)


def report_texts(language: str) -> dict[str, str]:
    """The report's headings, labels and sentences by key."""
    tr = translator_for(language)
    return {
        "title": tr("Check against national interests – basis for consultation"),
        "overall": tr("All agencies"),
        "to": tr("To {recipient}"),
        "subtitle": tr("RUS elements checked against the agencies' data"),
        "reading_guide": tr(
            "This report shows where the elements of the regional development strategy (nodes, "
            "corridors and areas) touch interests that national agencies are responsible for, in the "
            "data that was checked. Each finding has a class: A overlap with strong protection, B overlap "
            "with a riksintresse, C within a distance or zone of influence, D could not be checked. Class "
            "D and the list of interests not checked never mean that there is no conflict: there the "
            "agency's own assessment is needed. The maps show the element, the affected part and the "
            "agency's feature; the tables give the legal basis, the measure, the recommendation and the "
            "region's position."
        ),
        "reading": tr("How to read this report"),
        "region": tr("Region"),
        "rus_version": tr("RUS version"),
        "contact": tr("Contact"),
        "not_stated": tr("not stated"),
        "profile": tr("Planning profile"),
        "plugin_version": tr("RUS Planner version"),
        "created": tr("Created"),
        "agency": tr("Responsible agency"),
        "elements": tr("Elements"),
        "element": tr("Element"),
        "element_type": tr("Element type"),
        "kommuner": tr("Municipalities"),
        "findings": tr("Findings"),
        "findings_per_element": tr("Findings per element"),
        "severity": tr("Class"),
        "nature": tr("Nature"),
        "count": tr("Number"),
        "interest": tr("Interest"),
        "legal_basis": tr("Legal basis"),
        "measure": tr("Measure"),
        "advice": tr("Advice"),
        "position": tr("Planner's position"),
        "review_status": tr("Review status"),
        "agency_view": tr("Agency's view"),
        "response_date": tr("Remissvar date"),
        "diarienummer": tr("Diarienummer"),
        "action": tr("Action decided"),
        "decided_by": tr("Decided by"),
        "sources": tr("Data sources"),
        "dataset": tr("Dataset"),
        "date": tr("Date"),
        "licence": tr("Licence"),
        "location": tr("Retrieved from"),
        "licence_unknown": tr("not stated in the data"),
        "file": tr("file {name}"),
        "region_agency": tr("The region (RUS elements)"),
        "resolved": tr("Resolved by change"),
        "resolved_intro": tr(
            "Positions recorded on findings this check no longer gives: the element or the agency data "
            "changed. They are kept as the record of the dialogue."
        ),
        "finding": tr("Finding"),
        "not_checked": tr("Interests not checked"),
        "not_checked_intro": tr(
            "The interests below could not be checked against the elements. Not checked never means "
            "no conflict: the agency is asked to assess them."
        ),
        "none_not_checked": tr("Every interest of the planning profile was checked in this run."),
        "reason": tr("Reason"),
        "applies_to": tr("Applies to"),
        "no_layer_in_run": tr("no agency layer for it in this run"),
        "all_elements": tr("all {total} elements"),
        "some_elements": tr("{count} of {total} elements: {names}"),
        "run_wide": tr("the whole run"),
        "without_findings": tr("Elements without findings in the checked data"),
        "without_findings_note": tr(
            "These elements neither overlap nor lie near any interest in the data that was checked. "
            "The interests not checked are listed on the first page."
        ),
        "no_position": tr("No position recorded yet"),
        "date_unknown": tr("date not known"),
        "no_layer": tr("in no layer (withheld by law)"),
        "page": tr("Page"),
        "of": tr("of"),
        "map": tr("Map"),
        "legend": tr("Legend"),
        "summary": tr("Summary"),
        "per_agency": tr("Findings per agency"),
        "element_legend": tr("RUS element"),
        "other_elements": tr("Other RUS elements"),
        "this_element": tr("The element shown"),
        "affected": tr("Affected part (finding)"),
        "kommun_borders": tr("Municipal borders"),
        "tatorter": tr("Urban areas (tätorter)"),
        "county_outline": tr("County border"),
        "basemap": tr("Background map"),
        "distance": tr("distance {value}"),
        "overlap_area": tr("overlap {value}"),
        "overlap_length": tr("overlap {value}"),
        "share_element": tr("{value} of the element"),
        "share_feature": tr("{value} of the area of interest"),
        "inside": tr("inside or on the boundary"),
        "profile_unknown": tr("not stated"),
        "agency_unknown": tr("Agency not stated"),
        "generated_by": tr("Generated by RUS Planner {version} with the profile “{profile}” on {time}."),
        "continued": tr("{name} (continued)"),
        "map_caption": tr(
            "Map of {name}: the element in dark blue, the affected parts in the colour of their class, "
            "the agency's features outlined and named, municipal borders and urban areas for orientation."
        ),
        "overview_caption": tr("Overview map of every element of the report, with municipal borders."),
        "point": tr("node"),
        "line": tr("corridor"),
        "polygon": tr("area"),
        "overview": tr("Overview of the elements"),
        "crs": tr("Coordinate system: {crs}"),
    }
