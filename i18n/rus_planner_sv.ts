<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="sv_SE">
<context>
    <name>@default</name>
    <message>
        <location filename="../rus_planner/ui/run_control.py" line="123" />
        <source>The run was cancelled; nothing was written.</source>
        <translation>Körningen avbröts; inget skrevs.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/crs_checks.py" line="59" />
        <source>The target CRS is not valid. Choose a projected CRS such as SWEREF 99 TM (EPSG:3006).</source>
        <translation>Mål-CRS är inte giltigt. Välj ett projicerat koordinatsystem, till exempel SWEREF 99 TM (EPSG:3006).</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/crs_checks.py" line="63" />
        <source>The target CRS {crs} is geographic (degrees), so areas and distances in metres cannot be computed. Choose a projected CRS such as SWEREF 99 TM (EPSG:3006).</source>
        <translation>Mål-CRS {crs} är geografiskt (grader), så ytor och avstånd i meter kan inte beräknas. Välj ett projicerat koordinatsystem, till exempel SWEREF 99 TM (EPSG:3006).</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/crs_checks.py" line="219" />
        <source>The layer “{layer}” has no coordinate reference system (CRS), so it cannot be placed on the map. Set its CRS in the layer properties (Swedish national data is usually SWEREF 99 TM, EPSG:3006).</source>
        <translation>Lagret ”{layer}” saknar koordinatsystem (CRS) och kan därför inte placeras på kartan. Ange dess CRS i lageregenskaperna (svenska nationella data är oftast SWEREF 99 TM, EPSG:3006).</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/crs_checks.py" line="245" />
        <source>The layer “{layer}” says its CRS is {crs}, but its coordinates ({xmin:.0f}, {ymin:.0f} – {xmax:.0f}, {ymax:.0f}) cannot be in that CRS. The file probably lacks or misstates its CRS: set the right one in the layer properties (Swedish data is usually SWEREF 99 TM, EPSG:3006).</source>
        <translation>Lagret ”{layer}” anger koordinatsystemet {crs}, men dess koordinater ({xmin:.0f}, {ymin:.0f} – {xmax:.0f}, {ymax:.0f}) kan inte ligga i det. Filen saknar troligen CRS eller anger fel: ställ in rätt CRS i lageregenskaperna (svenska data är oftast SWEREF 99 TM, EPSG:3006).</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/layers.py" line="115" />
        <source>The layer “{layer}” has no geometries (it is a table).</source>
        <translation>Lagret ”{layer}” har inga geometrier (det är en tabell).</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/geometry.py" line="341" />
        <source>{layer}: {n} invalid geometries were repaired</source>
        <translation>{layer}: {n} ogiltiga geometrier reparerades</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/geometry.py" line="345" />
        <source>{layer}: {n} features without geometry were skipped</source>
        <translation>{layer}: {n} objekt utan geometri hoppades över</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/geometry.py" line="351" />
        <source>{layer}: {n} features with empty geometry were skipped</source>
        <translation>{layer}: {n} objekt med tom geometri hoppades över</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/geometry.py" line="357" />
        <source>{layer}: {n} geometries could not be repaired and were skipped</source>
        <translation>{layer}: {n} geometrier gick inte att reparera och hoppades över</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/geometry.py" line="363" />
        <source>{layer}: {n} curved geometries were converted to straight segments</source>
        <translation>{layer}: {n} kurvgeometrier omvandlades till raka segment</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="216" />
        <source>{file}, line {line}, key “{key}”: {message}</source>
        <translation>{file}, rad {line}, nyckel ”{key}”: {message}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="220" />
        <source>{file}, line {line}: {message}</source>
        <translation>{file}, rad {line}: {message}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="223" />
        <source>{file}: {message}</source>
        <translation>{file}: {message}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="21" />
        <source>nothing (an empty value)</source>
        <translation>inget (ett tomt värde)</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="23" />
        <source>a yes/no value ({value})</source>
        <translation>ett ja/nej-värde ({value})</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="27" />
        <source>the number {value}</source>
        <translation>talet {value}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="31" />
        <source>the text “{value}”</source>
        <translation>texten ”{value}”</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="33" />
        <source>a list</source>
        <translation>en lista</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="167" />
        <source>a mapping (key: value pairs)</source>
        <translation>en mappning (nyckel: värde-par)</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="36" />
        <source>a value of type {kind}</source>
        <translation>ett värde av typen {kind}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="83" />
        <source>text on one line</source>
        <translation>text på en rad</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="89" />
        <source>a non-empty text</source>
        <translation>en text som inte är tom</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="96" />
        <source>a whole number</source>
        <translation>ett heltal</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="92" />
        <source>a number</source>
        <translation>ett tal</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="94" />
        <source>a finite number</source>
        <translation>ett ändligt tal</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="98" />
        <source>must not be negative (found {value})</source>
        <translation>får inte vara negativt (fann {value})</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="105" />
        <source>true or false</source>
        <translation>true eller false</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="110" />
        <source>a layer name pattern, or a list of them</source>
        <translation>ett mönster för lagernamn, eller en lista med sådana</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="114" />
        <source>unknown severity {found}; expected one of A, B, C, D</source>
        <translation>okänd konfliktklass {found}; förväntade en av A, B, C, D</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="124" />
        <source>unknown relation {found}; expected “overlap” or “within_distance”</source>
        <translation>okänd relation {found}; förväntade ”overlap” eller ”within_distance”</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="134" />
        <source>unknown geometry {found}; expected “point”, “line” or “polygon”</source>
        <translation>okänd geometri {found}; förväntade ”point”, ”line” eller ”polygon”</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="155" />
        <source>a list of items (lines starting with “- ”)</source>
        <translation>en lista (rader som börjar med ”- ”)</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="167" />
        <source>expected {expected}, found {found}</source>
        <translation>förväntade {expected}, fann {found}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="181" />
        <source> (did you mean “{key}”?)</source>
        <translation> (menade du ”{key}”?)</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="182" />
        <source>unknown key; expected one of: {keys}{hint}</source>
        <translation>okänd nyckel; förväntade en av: {keys}{hint}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="195" />
        <source>required key is missing</source>
        <translation>obligatorisk nyckel saknas</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="215" />
        <source>duplicate id “{id}” (first used on line {line})</source>
        <translation>id ”{id}” förekommer två gånger (först på rad {line})</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="232" />
        <source>a sector needs “layer” (a name pattern) or “source” (a data source)</source>
        <translation>en sektor behöver ”layer” (ett namnmönster) eller ”source” (en datakälla)</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="249" />
        <source>a rule needs “layer” (a name pattern) or “source” (a data source)</source>
        <translation>en regel behöver ”layer” (ett namnmönster) eller ”source” (en datakälla)</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="252" />
        <source>a “within_distance” rule needs a distance_m greater than 0</source>
        <translation>en ”within_distance”-regel behöver ett distance_m större än 0</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_yaml.py" line="57" />
        <source>key given twice (first on line {line})</source>
        <translation>nyckeln anges två gånger (först på rad {line})</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_load.py" line="188" />
        <source>the file is {size:.1f} MB; a profile may be at most {limit:.0f} MB</source>
        <translation>filen är {size:.1f} MB; en profil får vara högst {limit:.0f} MB</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_yaml.py" line="240" />
        <source>the file is not UTF-8 text (a byte that is not UTF-8 at position {pos}); save it as UTF-8</source>
        <translation>filen är inte UTF-8-text (en byte som inte är UTF-8 på position {pos}); spara den som UTF-8</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_load.py" line="100" />
        <source>the file is empty; a profile needs at least “name” and one sector or rule</source>
        <translation>filen är tom; en profil behöver minst ”name” och en sektor eller regel</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_load.py" line="95" />
        <source>this is not valid YAML ({detail})</source>
        <translation>detta är inte giltig YAML ({detail})</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_load.py" line="97" />
        <source>this YAML could not be read ({detail})</source>
        <translation>denna YAML kunde inte läsas ({detail})</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_load.py" line="105" />
        <source>the YAML is nested too deeply to be a profile</source>
        <translation>YAML-filen är för djupt nästlad för att vara en profil</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_load.py" line="147" />
        <source>the profile has no sectors and no agency rules</source>
        <translation>profilen har inga sektorer och inga myndighetsregler</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_load.py" line="222" />
        <source>the file could not be read ({reason})</source>
        <translation>filen kunde inte läsas ({reason})</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/sectors.py" line="78" />
        <source>The layer “{layer}” matches no sector in the profile; it is used as a sector of its own (“{id}”, weight 1).</source>
        <translation>Lagret ”{layer}” motsvarar ingen sektor i profilen; det används som en egen sektor (”{id}”, vikt 1).</translation>
    </message>
    <message>
        <location filename="../rus_planner/plugin.py" line="32" />
        <source>&amp;RUS Planner</source>
        <translation>&amp;RUS Planner</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/provider.py" line="62" />
        <source>RUS Planner</source>
        <translation>RUS Planner</translation>
    </message>
    <message>
        <location filename="../rus_planner/plugin.py" line="52" />
        <source>Validate planning profile…</source>
        <translation>Validera planeringsprofil…</translation>
    </message>
    <message>
        <location filename="../rus_planner/plugin.py" line="52" />
        <source>Check a planning profile (YAML) and list every problem</source>
        <translation>Kontrollera en planeringsprofil (YAML) och lista alla fel</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="35" />
        <source>Validate planning profile</source>
        <translation>Validera planeringsprofil</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/base.py" line="58" />
        <source>Planning profile (YAML)</source>
        <translation>Planeringsprofil (YAML)</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/profile_tab.py" line="195" />
        <source>Planning profiles (*.yaml *.yml)</source>
        <translation>Planeringsprofiler (*.yaml *.yml)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="48" />
        <source>Profile is valid</source>
        <translation>Profilen är giltig</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="49" />
        <source>Number of problems</source>
        <translation>Antal fel</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="50" />
        <source>Problems</source>
        <translation>Fel</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="51" />
        <source>Sectors</source>
        <translation>Sektorer</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="52" />
        <source>Agency rules</source>
        <translation>Myndighetsregler</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="53" />
        <source>Element types</source>
        <translation>Elementtyper</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="58" />
        <source>Checking the profile {path}</source>
        <translation>Kontrollerar profilen {path}</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="66" />
        <source>The profile has {n} problem(s) and cannot be used.</source>
        <translation>Profilen har {n} fel och kan inte användas.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="78" />
        <source>The profile “{name}” is valid: {sectors} sectors, {rules} agency rules, {types} element types.</source>
        <translation>Profilen ”{name}” är giltig: {sectors} sektorer, {rules} myndighetsregler, {types} elementtyper.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/base.py" line="211" />
        <source>Planning profile</source>
        <translation>Planeringsprofil</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/base.py" line="212" />
        <source>Sector overlay</source>
        <translation>Sektorsöverlagring</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/base.py" line="213" />
        <source>Element check</source>
        <translation>Elementkontroll</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/base.py" line="214" />
        <source>Summaries and reports</source>
        <translation>Sammanställningar och rapporter</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/provider.py" line="65" />
        <source>RUS Planner {version}</source>
        <translation>RUS Planner {version}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/check_model.py" line="217" />
        <source>Overlap with {layer}</source>
        <translation>Överlapp med {layer}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/check_model.py" line="224" />
        <source>not stated in the profile</source>
        <translation>anges inte i profilen</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/check_model.py" line="217" />
        <source>The profile has no rule for this layer. Find out which agency is responsible and how the interest is protected.</source>
        <translation>Profilen har ingen regel för det här lagret. Ta reda på vilken myndighet som ansvarar och hur intresset skyddas.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/element_read.py" line="53" />
        <source>The element layer “{layer}” could not be read: {reason}</source>
        <translation>Elementlagret ”{layer}” kunde inte läsas: {reason}</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/element_read.py" line="53" />
        <source>it could not be loaded</source>
        <translation>det kunde inte laddas</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/element_read.py" line="132" />
        <source>node</source>
        <translation>nod</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/element_read.py" line="132" />
        <source>corridor</source>
        <translation>stråk</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/element_read.py" line="132" />
        <source>area</source>
        <translation>område</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_read.py" line="127" />
        <source>The agency layer “{layer}” matches no rule in the profile; it is checked for overlap with severity {severity}.</source>
        <translation>Myndighetslagret ”{layer}” matchar ingen regel i profilen; det kontrolleras för överlapp med konfliktklass {severity}.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_read.py" line="147" />
        <source>the layer could not be loaded</source>
        <translation>lagret kunde inte laddas</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/check_model.py" line="257" />
        <source>reading it failed ({reason})</source>
        <translation>läsningen misslyckades ({reason})</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/check_findings.py" line="83" />
        <source>The agency layer “{layer}” could not be checked: {reason} Every element gets a class D finding for it; this is not “no conflict”.</source>
        <translation>Myndighetslagret ”{layer}” kunde inte kontrolleras: {reason} Varje element får en iakttagelse i klass D för det; det betyder inte ”ingen konflikt”.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/standing.py" line="24" />
        <source>Not checked: {reason}</source>
        <translation>Inte kontrollerat: {reason}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/check_findings.py" line="101" />
        <source>Not checked: the data is withheld (classified or not published).</source>
        <translation>Inte kontrollerat: underlaget är sekretessbelagt eller inte publicerat.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/check_findings.py" line="107" />
        <source>The rule “{rule}” is declared withheld: class D for every element.</source>
        <translation>Regeln ”{rule}” är markerad som sekretessbelagd: klass D för varje element.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/export.py" line="94" />
        <source>The CSV file {path} could not be written ({reason}).</source>
        <translation>CSV-filen {path} kunde inte skrivas ({reason}).</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="51" />
        <source>Class</source>
        <translation>Klass</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="46" />
        <source>Element</source>
        <translation>Element</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/export.py" line="195" />
        <source>Agency layer</source>
        <translation>Myndighetslager</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="56" />
        <source>Measure</source>
        <translation>Mått</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/finding_table.py" line="26" />
        <source>Agency</source>
        <translation>Myndighet</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/export.py" line="132" />
        <source>Legal basis</source>
        <translation>Lagrum</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/export.py" line="195" />
        <source>Review status</source>
        <translation>Bedömningsstatus</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/export.py" line="195" />
        <source>Position</source>
        <translation>Ställningstagande</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/export.py" line="148" />
        <source>Profile: {name}</source>
        <translation>Profil: {name}</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/export.py" line="150" />
        <source>Checked: {time}</source>
        <translation>Kontrollerad: {time}</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/export.py" line="151" />
        <source>{n} findings</source>
        <translation>{n} iakttagelser</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/export.py" line="157" />
        <source>Findings</source>
        <translation>Iakttagelser</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/share.py" line="252" />
        <source>Data sources</source>
        <translation>Datakällor</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/export.py" line="218" />
        <source>The HTML file {path} could not be written ({reason}).</source>
        <translation>HTML-filen {path} kunde inte skrivas ({reason}).</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/export.py" line="281" />
        <source>The GeoPackage {path} could not be written ({reason}).</source>
        <translation>GeoPackage-filen {path} kunde inte skrivas ({reason}).</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/layout.py" line="347" />
        <source>A table would need more than {n} pages.</source>
        <translation>En tabell skulle behöva mer än {n} sidor.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/layout.py" line="394" />
        <source>The PDF “{path}” could not be written ({reason}).</source>
        <translation>PDF-filen ”{path}” kunde inte skrivas ({reason}).</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/overlay.py" line="103" />
        <source>The sector “{sector}” ({layers}) has points or lines but no buffer, so it has no area to overlay. Give the sector a buffer distance (buffer_m) in the planning profile, or use the grid overlay, which counts points and measures lines per cell.</source>
        <translation>Sektorn ”{sector}” ({layers}) har punkter eller linjer men ingen buffertzon, så den har ingen yta att lägga samman. Ge sektorn ett buffertavstånd (buffer_m) i planeringsprofilen, eller använd rutöverlagringen, som räknar punkter och mäter linjer per ruta.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/project_state.py" line="98" />
        <source>the project's profile</source>
        <translation>projektets profil</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/project_state.py" line="92" />
        <source>the default profile</source>
        <translation>standardprofilen</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/report_run.py" line="134" />
        <source>Consultation report</source>
        <translation>Samrådsunderlag</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/findings_tab.py" line="159" />
        <source>All agencies</source>
        <translation>Alla myndigheter</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="25" />
        <source>RUS elements checked against the agencies' data</source>
        <translation>RUS-element kontrollerade mot myndigheternas underlag</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="42" />
        <source>RUS Planner version</source>
        <translation>RUS Planner-version</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="43" />
        <source>Created</source>
        <translation>Skapad</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="44" />
        <source>Responsible agency</source>
        <translation>Ansvarig myndighet</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="45" />
        <source>Elements</source>
        <translation>Element</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="47" />
        <source>Element type</source>
        <translation>Elementtyp</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="53" />
        <source>Number</source>
        <translation>Antal</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="54" />
        <source>Interest</source>
        <translation>Intresse</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="57" />
        <source>Advice</source>
        <translation>Rekommendation</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="58" />
        <source>Planner's position</source>
        <translation>Ställningstagande</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="67" />
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="225" />
        <source>RUS elements</source>
        <translation>RUS-element</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/base.py" line="215" />
        <source>Agency data</source>
        <translation>Myndighetsunderlag</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="96" />
        <source>No position recorded yet</source>
        <translation>Inget ställningstagande ännu</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/share.py" line="273" />
        <source>date not known</source>
        <translation>datum okänt</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="235" />
        <source>Page</source>
        <translation>Sida</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="236" />
        <source>of</source>
        <translation>av</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="101" />
        <source>Map</source>
        <translation>Karta</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="238" />
        <source>Legend</source>
        <translation>Teckenförklaring</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="103" />
        <source>Summary</source>
        <translation>Sammanfattning</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="104" />
        <source>Findings per agency</source>
        <translation>Iakttagelser per myndighet</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="105" />
        <source>RUS element</source>
        <translation>RUS-element</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="106" />
        <source>Other RUS elements</source>
        <translation>Övriga RUS-element</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="107" />
        <source>The element shown</source>
        <translation>Det visade elementet</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="108" />
        <source>Affected part (finding)</source>
        <translation>Berörd del (iakttagelse)</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="113" />
        <source>distance {value}</source>
        <translation>avstånd {value}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="115" />
        <source>overlap {value}</source>
        <translation>överlapp {value}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="116" />
        <source>{value} of the element</source>
        <translation>{value} av elementet</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="117" />
        <source>{value} of the area of interest</source>
        <translation>{value} av intresseområdet</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="118" />
        <source>inside or on the boundary</source>
        <translation>inom eller på gränsen</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="119" />
        <source>not stated</source>
        <translation>inte angiven</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="120" />
        <source>Agency not stated</source>
        <translation>Myndighet inte angiven</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="216" />
        <source>Generated by RUS Planner {version} with the profile “{profile}” on {time}.</source>
        <translation>Skapad med RUS Planner {version} och profilen ”{profile}” {time}.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="122" />
        <source>{name} (continued)</source>
        <translation>{name} (forts.)</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="131" />
        <source>Overview of the elements</source>
        <translation>Översikt över elementen</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="232" />
        <source>Coordinate system: {crs}</source>
        <translation>Koordinatsystem: {crs}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/vocabulary.py" line="45" />
        <source>A – strong protection overlapped</source>
        <translation>A – överlapp med starkt skydd</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/vocabulary.py" line="46" />
        <source>B – riksintresse overlapped</source>
        <translation>B – överlapp med riksintresse</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/vocabulary.py" line="47" />
        <source>C – within distance or zone of influence</source>
        <translation>C – inom avstånd eller påverkansområde</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/vocabulary.py" line="48" />
        <source>D – could not be checked</source>
        <translation>D – kunde inte kontrolleras</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/vocabulary.py" line="72" />
        <source>New</source>
        <translation>Ny</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/vocabulary.py" line="73" />
        <source>In dialogue with the agency</source>
        <translation>I dialog med myndigheten</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/vocabulary.py" line="74" />
        <source>Accepted</source>
        <translation>Accepterad</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/vocabulary.py" line="75" />
        <source>Element adjusted</source>
        <translation>Elementet justerat</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/share.py" line="223" />
        <source>{layer}: {n} features written as “{table}”.</source>
        <translation>{layer}: {n} objekt skrivna som ”{table}”.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/share.py" line="256" />
        <source>The table “{table}” could not be read back from {path}.</source>
        <translation>Tabellen ”{table}” kunde inte läsas tillbaka från {path}.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/share.py" line="268" />
        <source>The style of “{layer}” could not be stored: {reason}</source>
        <translation>Stilen för ”{layer}” kunde inte sparas: {reason}</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/share.py" line="273" />
        <source>Source: {source} ({date}). {extract}</source>
        <translation>Källa: {source} ({date}). {extract}</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/share.py" line="287" />
        <source>The QGIS project could not be stored in {path}: {reason}</source>
        <translation>QGIS-projektet kunde inte sparas i {path}: {reason}</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/share.py" line="336" />
        <source>The layer “{layer}” could not be written to {path}: {reason}</source>
        <translation>Lagret ”{layer}” kunde inte skrivas till {path}: {reason}</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/share.py" line="387" />
        <source>The table of sources could not be written: {reason}</source>
        <translation>Källtabellen kunde inte skrivas: {reason}</translation>
    </message>
    <message>
        <location filename="../rus_planner/plugin.py" line="71" />
        <source>RUS check panel</source>
        <translation>Panelen RUS-kontroll</translation>
    </message>
    <message>
        <location filename="../rus_planner/plugin.py" line="71" />
        <source>Show the RUS check: elements against agency layers, reviews and export</source>
        <translation>Visa RUS-kontrollen: element mot myndighetsunderlag, bedömningar och export</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/new_project.py" line="31" />
        <source>New RUS project</source>
        <translation>Nytt RUS-projekt</translation>
    </message>
    <message>
        <location filename="../rus_planner/plugin.py" line="93" />
        <source>Start a project with the RUS layer groups, SWEREF 99 TM and the default profile</source>
        <translation>Starta ett projekt med RUS-lagergrupperna, SWEREF 99 TM och standardprofilen</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/check_elements.py" line="62" />
        <source>Check elements against agency layers</source>
        <translation>Kontrollera element mot myndighetsunderlag</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/consultation_report.py" line="91" />
        <source>RUS elements (nodes, corridors, areas)</source>
        <translation>RUS-element (noder, stråk, områden)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="98" />
        <source>Agency layers</source>
        <translation>Myndighetsunderlag</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/base.py" line="79" />
        <source>Target CRS</source>
        <translation>Mål-CRS</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/check_elements.py" line="139" />
        <source>Summary per element</source>
        <translation>Sammanställning per element</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/run_control.py" line="65" />
        <source>Choose at least one agency layer.</source>
        <translation>Välj minst ett myndighetslager.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/check_elements.py" line="161" />
        <source>Incorrect parameter value for {name}</source>
        <translation>Felaktigt parametervärde för {name}</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="147" />
        <source>Choose at least one layer of RUS elements.</source>
        <translation>Välj minst ett lager med RUS-element.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_run.py" line="118" />
        <source>The element layers hold no usable geometries; nothing was checked.</source>
        <translation>Elementlagren innehåller inga användbara geometrier; inget kontrollerades.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_run.py" line="119" />
        <source>{n} elements read.</source>
        <translation>{n} element lästa.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/check_elements.py" line="192" />
        <source>The elements are of several kinds (nodes, corridors, areas), so the findings are stored as geometry collections, which QGIS does not draw. Run the check once per element kind to get layers you can see on the map.</source>
        <translation>Elementen är av flera slag (noder, stråk, områden), så iakttagelserna lagras som geometrisamlingar, som QGIS inte ritar. Kör kontrollen en gång per elementslag för att få lager som syns på kartan.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/check_elements.py" line="200" />
        <source>The elements are of several kinds (nodes, corridors, areas): the findings file holds points, lines and polygons, and QGIS offers one layer per geometry type when you add it.</source>
        <translation>Elementen är av flera slag (noder, stråk, områden): iakttagelsefilen innehåller punkter, linjer och ytor, och QGIS erbjuder ett lager per geometrityp när du lägger till den.</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/run_control.py" line="147" />
        <source>{n} findings: {a} A, {b} B, {c} C, {d} D.</source>
        <translation>{n} iakttagelser: {a} A, {b} B, {c} C, {d} D.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_run.py" line="230" />
        <source>it is not a vector layer</source>
        <translation>det är inte ett vektorlager</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_run.py" line="235" />
        <source>the layer is not valid{detail}</source>
        <translation>lagret är inte giltigt{detail}</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_run.py" line="242" />
        <source>the source could not be opened (missing file, unreachable server or wrong address)</source>
        <translation>källan kunde inte öppnas (filen saknas, servern svarar inte eller fel adress)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/consultation_report.py" line="57" />
        <source>Consultation report (PDF and HTML)</source>
        <translation>Samrådsunderlag (PDF och HTML)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/consultation_report.py" line="84" />
        <source>Findings of the element check</source>
        <translation>Iakttagelser från elementkontrollen</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/consultation_report.py" line="98" />
        <source>Agency layers (shown on the maps)</source>
        <translation>Myndighetslager (visas på kartorna)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/consultation_report.py" line="142" />
        <source>Planning profile the check was run with (YAML)</source>
        <translation>Planeringsprofil som kontrollen kördes med (YAML)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/consultation_report.py" line="143" />
        <source>Report language</source>
        <translation>Rapportens språk</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/consultation_report.py" line="144" />
        <source>Output folder</source>
        <translation>Utdatamapp</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/consultation_report.py" line="145" />
        <source>Overall report (PDF)</source>
        <translation>Samlad rapport (PDF)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/consultation_report.py" line="146" />
        <source>Reports per agency (PDF files)</source>
        <translation>Rapporter per myndighet (PDF-filer)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/consultation_report.py" line="148" />
        <source>Report (HTML)</source>
        <translation>Rapport (HTML)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/consultation_report.py" line="149" />
        <source>Number of PDF files</source>
        <translation>Antal PDF-filer</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/consultation_report.py" line="155" />
        <source>The findings layer could not be loaded.</source>
        <translation>Lagret med iakttagelser kunde inte läsas in.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/consultation_report.py" line="158" />
        <source>The layer “{layer}” is not a findings layer of the element check (it lacks the fields {fields}). Run “Check elements against agency layers” first.</source>
        <translation>Lagret ”{layer}” är inte ett lager med iakttagelser från elementkontrollen (fälten {fields} saknas). Kör först ”Kontrollera element mot myndighetslager”.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/report_run.py" line="119" />
        <source>The findings hold rules the profile “{profile}” does not have ({rules}): was the check run with another profile?</source>
        <translation>Iakttagelserna innehåller regler som profilen ”{profile}” saknar ({rules}): kördes kontrollen med en annan profil?</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/report_run.py" line="147" />
        <source>The element layers hold no elements and there are no findings.</source>
        <translation>Elementlagren innehåller inga element och det finns inga iakttagelser.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/report_run.py" line="248" />
        <source>Wrote {path} ({pages} pages).</source>
        <translation>Skrev {path} ({pages} sidor).</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/report_run.py" line="267" />
        <source>Wrote {path}.</source>
        <translation>Skrev {path}.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/grid_overlay.py" line="60" />
        <source>Sector overlay on a grid</source>
        <translation>Sektorsöverlagring i rutnät</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/grid_overlay.py" line="63" />
        <source>Measures the sectors' planning layers on a grid, so sectors can be compared cell by cell and joined with statistics. By default the grid is SCB's statistical grid: square cells of the given size in SWEREF 99 TM with corners on multiples of the size, named like SCB names them (rutid_scb, rutid_inspire). An existing grid layer, such as SCB's population grid, can be used instead; its cells and fields are kept.

Per cell and sector: &lt;sector&gt;_share, the share of the cell covered by the sector (0–1, overlaps inside a sector counted once); for points without a buffer &lt;sector&gt;_count, the number of points; for lines without a buffer &lt;sector&gt;_length_m, the length in metres. A sector is present in a cell when its share, count or length is above 0, however small. sector_count is the number of present sectors, score the sum of their weights and sectors their ids.

With a study area only its cells are made (with 0 where no sector is present) and the sectors are clipped to it; cell_area is the part of each cell inside it (m²). Without one, the cells are those where a sector is present. The planning profile says which layer belongs to which sector, with weights, filters and buffer distances; without a profile each layer is a sector of its own with weight 1. The target CRS must be projected (metres).</source>
        <translation>Mäter sektorernas planeringsunderlag i ett rutnät, så att sektorerna kan jämföras ruta för ruta och kopplas till statistik. Som standard används SCB:s statistiska rutnät: kvadratiska rutor av angiven storlek i SWEREF 99 TM med hörn på jämna multiplar av rutstorleken, namngivna som SCB namnger dem (rutid_scb, rutid_inspire). Ett befintligt rutnätslager, till exempel SCB:s befolkningsrutnät, kan användas i stället; dess rutor och fält behålls.

Per ruta och sektor: &lt;sektor&gt;_share, andelen av rutan som täcks av sektorn (0–1, överlapp inom en sektor räknas en gång); för punkter utan buffertzon &lt;sektor&gt;_count, antalet punkter; för linjer utan buffertzon &lt;sektor&gt;_length_m, längden i meter. En sektor finns i en ruta när dess andel, antal eller längd är större än 0, hur liten den än är. sector_count är antalet sektorer som finns i rutan, score summan av deras vikter och sectors deras id:n.

Med ett analysområde skapas bara dess rutor (med 0 där ingen sektor finns) och sektorerna klipps mot det; cell_area är den del av varje ruta som ligger inom området (m²). Utan analysområde blir rutorna de där någon sektor finns. Planeringsprofilen anger vilket lager som hör till vilken sektor, med vikter, filter och buffertavstånd; utan profil blir varje lager en egen sektor med vikten 1. Mål-CRS måste vara projicerat (meter).</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="90" />
        <source>Sector layers</source>
        <translation>Sektorslager</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/grid_overlay.py" line="90" />
        <source>Cell size (metres, SCB grid)</source>
        <translation>Rutstorlek (meter, SCB:s rutnät)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/grid_overlay.py" line="99" />
        <source>Existing grid (instead of the SCB grid; its fields are kept)</source>
        <translation>Befintligt rutnät (i stället för SCB:s rutnät; dess fält behålls)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/base.py" line="70" />
        <source>Study area</source>
        <translation>Analysområde</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/grid_overlay.py" line="111" />
        <source>Sector grid</source>
        <translation>Sektorsrutnät</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/grid_overlay.py" line="116" />
        <source>Number of cells</source>
        <translation>Antal rutor</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/grid_overlay.py" line="128" />
        <source>The cell size must be more than 0 metres.</source>
        <translation>Rutstorleken måste vara större än 0 meter.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/sector_inputs.py" line="21" />
        <source>The layer “{layer}” could not be read as a vector layer.</source>
        <translation>Lagret ”{layer}” kunde inte läsas som ett vektorlager.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/sector_inputs.py" line="28" />
        <source>Choose at least one sector layer.</source>
        <translation>Välj minst ett sektorslager.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/sector_inputs.py" line="42" />
        <source>study area</source>
        <translation>analysområde</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/grid_overlay.py" line="140" />
        <source>Existing grid “{layer}”: {n} cells; the cell size is not used.</source>
        <translation>Befintligt rutnät ”{layer}”: {n} rutor; rutstorleken används inte.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/grid_overlay.py" line="156" />
        <source>SCB's grid and cell ids are defined in SWEREF 99 TM (EPSG:3006); in {crs} the cells are aligned to its coordinates and the ids only name their corners.</source>
        <translation>SCB:s rutnät och rut-id:n är definierade i SWEREF 99 TM (EPSG:3006); i {crs} följer rutorna det systemets koordinater och id:na anger bara deras hörn.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/grid_overlay.py" line="163" />
        <source>Read the layers in {s:.1f} s</source>
        <translation>Läste lagren på {s:.1f} s</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/grid_overlay.py" line="198" />
        <source>Measured the cells in {s:.1f} s</source>
        <translation>Mätte rutorna på {s:.1f} s</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/grid_overlay.py" line="199" />
        <source>Wrote the cells in {s:.1f} s</source>
        <translation>Skrev rutorna på {s:.1f} s</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/sector_inputs.py" line="47" />
        <source>The study area “{layer}” has no usable polygons.</source>
        <translation>Analysområdet ”{layer}” har inga användbara polygoner.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/grid_overlay.py" line="219" />
        <source>grid</source>
        <translation>rutnät</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/grid_overlay.py" line="235" />
        <source>The grid “{layer}” has no usable cells.</source>
        <translation>Rutnätet ”{layer}” har inga användbara rutor.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/grid_overlay.py" line="250" />
        <source>A cell size of {size} m would make about {n} cells, more than {max} can be handled. Choose a larger cell size or a smaller study area.</source>
        <translation>Rutstorleken {size} m skulle ge omkring {n} rutor, fler än de {max} som kan hanteras. Välj en större rutstorlek eller ett mindre analysområde.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/grid_overlay.py" line="301" />
        <source>Fields renamed because the grid already has fields of that name: {names}</source>
        <translation>Fält som bytt namn eftersom rutnätet redan har fält med det namnet: {names}</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/sector_inputs.py" line="60" />
        <source>Sector “{id}” ({name}): {n} features from {layers}</source>
        <translation>Sektor ”{id}” ({name}): {n} objekt från {layers}</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/grid_writing.py" line="89" />
        <source>{n} cells</source>
        <translation>{n} rutor</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/grid_writing.py" line="93" />
        <source>{km2:.1f} km² in {n} cells</source>
        <translation>{km2:.1f} km² i {n} rutor</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/grid_writing.py" line="99" />
        <source>{n} points</source>
        <translation>{n} punkter</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/grid_writing.py" line="101" />
        <source>{km:.1f} km of lines</source>
        <translation>{km:.1f} km linjer</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/grid_writing.py" line="102" />
        <source>  {id}: {what}</source>
        <translation>  {id}: {what}</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/grid_writing.py" line="105" />
        <source>  {count} sectors: {n} cells</source>
        <translation>  {count} sektorer: {n} rutor</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/styles.py" line="119" />
        <source>{n} sectors</source>
        <translation>{n} sektorer</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/styles.py" line="119" />
        <source>1 sector</source>
        <translation>1 sektor</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="73" />
        <source>Sector overlay atlas (PDF)</source>
        <translation>Atlas över sektorsöverlagringen (PDF)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="76" />
        <source>Prints the sector overlay as an atlas: one page per zone (for example each municipality of the region), with the overlay coloured by the number of sectors, the zone's boundary, a legend, a scale bar, a locator map and the zone's figures (its area and the share covered by one, two or more sectors and by each sector).

Every page names the planning profile, the plugin version, the time of the run and the data sources. The atlas is a QGIS print layout atlas, so the pages look like any QGIS layout and regions can share them with each other.</source>
        <translation>Skriver ut sektorsöverlagringen som en atlas: en sida per zon (till exempel varje kommun i regionen), med överlagringen färgad efter antalet sektorer, zonens gräns, teckenförklaring, skalstock, en översiktskarta och zonens nyckeltal (dess area och andelen som täcks av en, två eller fler sektorer och av varje sektor).

Varje sida anger planeringsprofilen, insticksprogrammets version, tidpunkten för körningen och datakällorna. Atlasen är en atlas i en QGIS-utskriftslayout, så sidorna ser ut som vilken QGIS-layout som helst och regionerna kan dela dem med varandra.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="96" />
        <source>Zones, one page each (e.g. municipalities)</source>
        <translation>Zoner, en sida var (t.ex. kommuner)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="103" />
        <source>Zone name field</source>
        <translation>Fält med zonens namn</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="109" />
        <source>Atlas (PDF)</source>
        <translation>Atlas (PDF)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="109" />
        <source>PDF files (*.pdf)</source>
        <translation>PDF-filer (*.pdf)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="122" />
        <source>Pages</source>
        <translation>Sidor</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="131" />
        <source>The sector overlay could not be loaded.</source>
        <translation>Sektorsöverlagringen kunde inte läsas in.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="133" />
        <source>The layer “{layer}” is not a sector overlay (it has no field sector_count). Run “Sector overlay” first.</source>
        <translation>Lagret ”{layer}” är inte en sektorsöverlagring (fältet sector_count saknas). Kör först ”Sektorsöverlagring”.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="165" />
        <source>The zone layer has no features: there is no page to print.</source>
        <translation>Zonlagret har inga objekt: det finns ingen sida att skriva ut.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/territorial_summary.py" line="114" />
        <source>Zones</source>
        <translation>Zoner</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="207" />
        <source>Sector overlay atlas</source>
        <translation>Atlas över sektorsöverlagringen</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="221" />
        <source>Data: {overlay} ({overlay_date}); zones: {zones} ({zones_date})</source>
        <translation>Data: {overlay} ({overlay_date}); zoner: {zones} ({zones_date})</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="264" />
        <source>Area: {area} km²</source>
        <translation>Area: {area} km²</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="266" />
        <source>At least {n} sector(s): {share} %</source>
        <translation>Minst {n} sektor(er): {share} %</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="269" />
        <source>Share of the zone per sector:</source>
        <translation>Andel av zonen per sektor:</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="311" />
        <source>This zone</source>
        <translation>Denna zon</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="312" />
        <source>Other zones</source>
        <translation>Övriga zoner</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="230" />
        <source>How many of the region's sectors meet in each place</source>
        <translation>Hur många av regionens sektorer som möts på varje plats</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="231" />
        <source>Figures</source>
        <translation>Nyckeltal</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="331" />
        <source>The atlas “{path}” could not be written ({reason}).</source>
        <translation>Atlasen ”{path}” kunde inte skrivas ({reason}).</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/sector_overlay.py" line="47" />
        <source>Sector overlay (exact)</source>
        <translation>Sektorsöverlagring (exakt)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/sector_overlay.py" line="50" />
        <source>Lays the sectors' planning layers on top of each other and shows where they meet. The output is a partition into polygons that do not overlap; each has one field per sector (1 where the sector is present, else 0), sector_count (how many sectors), score (the sum of the present sectors' weights) and sectors (their ids). Overlaps inside one sector are merged first, so nothing is counted twice. The fields &lt;sector&gt;_src list the input features (layer:feature id) that cover each piece.</source>
        <translation>Lägger sektorernas planeringsunderlag ovanpå varandra och visar var de möts. Resultatet är en indelning i polygoner som inte överlappar; varje polygon har ett fält per sektor (1 där sektorn finns, annars 0), sector_count (hur många sektorer), score (summan av de närvarande sektorernas vikter) och sectors (deras id). Överlapp inom en sektor slås först ihop, så inget räknas två gånger. Fälten &lt;sector&gt;_src listar de indataobjekt (lager:objekt-id) som täcker varje del.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/sector_overlay.py" line="50" />
        <source>The planning profile says which layer belongs to which sector, with weights, filters and buffer distances; without a profile each layer is a sector of its own with weight 1. Points and lines need a buffer distance in the profile to have an area. With a study area, the sectors are clipped to it and the output covers all of it, with sector_count 0 where no sector is present. Areas are computed in the target CRS, which must be projected (metres).</source>
        <translation>Planeringsprofilen anger vilket lager som hör till vilken sektor, med vikter, filter och buffertavstånd; utan profil blir varje lager en egen sektor med vikten 1. Punkter och linjer behöver ett buffertavstånd i profilen för att få en yta. Med ett analysområde klipps sektorerna mot det och resultatet täcker hela området, med sector_count 0 där ingen sektor finns. Ytor beräknas i mål-CRS, som måste vara projicerat (meter).</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/sector_overlay.py" line="139" />
        <source>{n} pieces, {area:.1f} km² in total</source>
        <translation>{n} delar, totalt {area:.1f} km²</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/sector_overlay.py" line="144" />
        <source>Area covered by {count} sectors: {area:.1f} km²</source>
        <translation>Yta som täcks av {count} sektorer: {area:.1f} km²</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/share_action.py" line="82" />
        <source>Share as GeoPackage</source>
        <translation>Dela som GeoPackage</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="72" />
        <source>Writes one GeoPackage that an agency or another region opens in plain QGIS, without this plugin: the RUS elements, the sector layers, extracts of the agency layers and the results (findings, summaries, overlays), each with its style stored in the file, and a QGIS project stored inside the GeoPackage (Project &gt; Open From &gt; GeoPackage) whose layers point into the same file.

Agency layers are cut down to the features near the elements (the elements' extent and a margin), to the features the findings refer to, or kept whole. The table rus_sources names every layer's origin and date, the planning profile, the plugin version and the time of the run. Keep the file name when passing the file on: the project finds its layers by it.</source>
        <translation>Skriver en GeoPackage som en myndighet eller en annan region öppnar i vanlig QGIS, utan detta insticksprogram: RUS-elementen, sektorslagren, utdrag ur myndighetslagren och resultaten (iakttagelser, sammanställningar, överlagringar), vart och ett med sin stil sparad i filen, och ett QGIS-projekt sparat i GeoPackage-filen (Projekt &gt; Öppna från &gt; GeoPackage) vars lager pekar in i samma fil.

Myndighetslagren begränsas till objekten nära elementen (elementens utbredning och en marginal), till objekten som iakttagelserna hänvisar till, eller tas med helt. Tabellen rus_sources anger varje lagers ursprung och datum, planeringsprofilen, insticksprogrammets version och tidpunkten för körningen. Behåll filnamnet när filen skickas vidare: projektet hittar sina lager med det.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="106" />
        <source>Results (findings, summaries, overlays)</source>
        <translation>Resultat (iakttagelser, sammanställningar, överlagringar)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="114" />
        <source>Agency features to include</source>
        <translation>Myndighetsobjekt att ta med</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="114" />
        <source>Near the elements (their extent and the margin)</source>
        <translation>Nära elementen (deras utbredning och marginalen)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="114" />
        <source>Only the features in the findings</source>
        <translation>Endast objekten i iakttagelserna</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="114" />
        <source>All features</source>
        <translation>Alla objekt</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="126" />
        <source>Margin around the elements (m)</source>
        <translation>Marginal runt elementen (m)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="136" />
        <source>CRS of the package</source>
        <translation>Paketets koordinatsystem</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="137" />
        <source>GeoPackage</source>
        <translation>GeoPackage</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="137" />
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="140" />
        <source>Layers in the package</source>
        <translation>Lager i paketet</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="141" />
        <source>Project inside the GeoPackage</source>
        <translation>Projekt i GeoPackage-filen</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="155" />
        <source>The layer “{layer}” is not valid.</source>
        <translation>Lagret ”{layer}” är inte giltigt.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="190" />
        <source>No findings layer among the results: the agency layers are cut to the elements' extent.</source>
        <translation>Inget lager med iakttagelser bland resultaten: myndighetslagren begränsas till elementens utbredning.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="196" />
        <source>All features.</source>
        <translation>Alla objekt.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="200" />
        <source>Only the {n} features the findings refer to.</source>
        <translation>Endast de {n} objekt som iakttagelserna hänvisar till.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="203" />
        <source>Features within {m} m of the elements' extent.</source>
        <translation>Objekt inom {m} m från elementens utbredning.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="217" />
        <source>Made with RUS Planner {version} and the planning profile “{profile}” on {time}. The table rus_sources names the origin and date of every layer.</source>
        <translation>Skapat med RUS Planner {version} och planeringsprofilen ”{profile}” {time}. Tabellen rus_sources anger varje lagers ursprung och datum.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="225" />
        <source>RUS Planner package</source>
        <translation>RUS Planner-paket</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="225" />
        <source>Results</source>
        <translation>Resultat</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/share_geopackage.py" line="241" />
        <source>Wrote {path}: {n} layers and the project “{project}”.</source>
        <translation>Skrev {path}: {n} lager och projektet ”{project}”.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/territorial_summary.py" line="77" />
        <source>Territorial summary</source>
        <translation>Territoriell sammanställning</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/territorial_summary.py" line="45" />
        <source>Summarises the sector overlay and the element check per zone — municipality, county, labour-market region, DeSO or any polygon layer: the share and area (ha) of the zone each sector covers, the share covered by any sector, the area-weighted mean and the maximum score, and the number of findings of each severity class A–D that meet the zone. These are the tables for the regional picture and for reporting back how the spatial perspective is considered. The zones' own fields are kept.</source>
        <translation>Sammanställer sektorsöverlagringen och elementkontrollen per zon — kommun, län, lokal arbetsmarknad, DeSO eller valfritt ytlager: hur stor andel och yta (ha) av zonen varje sektor täcker, andelen som täcks av någon sektor, ytviktat medelvärde och högsta poäng, samt antalet iakttagelser i varje konfliktklass A–D som berör zonen. Det är tabellerna för den regionala bilden och för återrapporteringen av hur det rumsliga perspektivet beaktas. Zonernas egna fält behålls.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/territorial_summary.py" line="55" />
        <source>Zones (e.g. municipalities)</source>
        <translation>Zoner (t.ex. kommuner)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/territorial_summary.py" line="60" />
        <source>Sector overlay (output of Sector overlay)</source>
        <translation>Sektorsöverlagring (resultat av Sektorsöverlagring)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/territorial_summary.py" line="76" />
        <source>CRS for areas (projected)</source>
        <translation>CRS för ytor (projicerat)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/territorial_summary.py" line="108" />
        <source>Give a sector overlay, findings, or both: there is nothing to summarise.</source>
        <translation>Ange en sektorsöverlagring, iakttagelser eller båda: det finns inget att sammanställa.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/territorial_summary.py" line="133" />
        <source>The overlay layer has no sector fields (a 0/1 field with a companion “&lt;sector&gt;_src” field); is it the output of Sector overlay?</source>
        <translation>Överlagringslagret har inga sektorsfält (ett 0/1-fält med ett tillhörande ”&lt;sektor&gt;_src”-fält); är det resultatet av Sektorsöverlagring?</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/territorial_summary.py" line="252" />
        <source>Summarised {zones} zones, {sectors} sectors.</source>
        <translation>Sammanställde {zones} zoner, {sectors} sektorer.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/base.py" line="187" />
        <source>stored in the project</source>
        <translation>lagrad i projektet</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/base.py" line="194" />
        <source>Profile: {name} ({origin})</source>
        <translation>Profil: {name} ({origin})</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/finding_table.py" line="29" />
        <source>Review</source>
        <translation>Bedömning</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/task.py" line="111" />
        <source>RUS check</source>
        <translation>RUS-kontroll</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/profile_tab.py" line="42" />
        <source>Default profile (Sweden)</source>
        <translation>Standardprofil (Sverige)</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/profile_tab.py" line="43" />
        <source>Profile file</source>
        <translation>Profilfil</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/profile_tab.py" line="44" />
        <source>The project's profile</source>
        <translation>Projektets profil</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/panel.py" line="170" />
        <source>Last run: {time}</source>
        <translation>Senaste körning: {time}</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/profile_tree.py" line="61" />
        <source>{name} — {label}</source>
        <translation>{name} — {label}</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/profile_tree.py" line="62" />
        <source>Sectors ({n})</source>
        <translation>Sektorer ({n})</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/profile_tree.py" line="64" />
        <source>buffer {m:g} m</source>
        <translation>buffertzon {m:g} m</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/profile_tree.py" line="66" />
        <source>Weight in the sector overlay; double-click to change it</source>
        <translation>Vikt i sektorsöverlagringen; dubbelklicka för att ändra</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/profile_tree.py" line="69" />
        <source>Agency rules ({n})</source>
        <translation>Myndighetsregler ({n})</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/profile_tree.py" line="71" />
        <source>within {m:g} m</source>
        <translation>inom {m:g} m</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/profile_tree.py" line="71" />
        <source>overlap</source>
        <translation>överlapp</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/profile_tree.py" line="78" />
        <source>Severity class A–D; double-click to change it</source>
        <translation>Konfliktklass A–D; dubbelklicka för att ändra</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/profile_tree.py" line="84" />
        <source>Element types ({n})</source>
        <translation>Elementtyper ({n})</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/profile_tree.py" line="30" />
        <source>A weight is a number of 0 or more.</source>
        <translation>En vikt är ett tal som är 0 eller större.</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/profile_tree.py" line="32" />
        <source>A severity is one of A, B, C, D.</source>
        <translation>En konfliktklass är en av A, B, C, D.</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/profile_tab.py" line="114" />
        <source>Changed in the text; save to use it.</source>
        <translation>Ändrat i texten; spara för att använda det.</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/profile_tab.py" line="142" />
        <source>Choose a planning profile</source>
        <translation>Välj en planeringsprofil</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/profile_tab.py" line="160" />
        <source>The profile {path} could not be read ({reason}).</source>
        <translation>Profilen {path} kunde inte läsas ({reason}).</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/profile_tab.py" line="170" />
        <source>The profile is not UTF-8 text.</source>
        <translation>Profilen är inte UTF-8-text.</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/profile_tab.py" line="187" />
        <source>Saved in the project: {name}</source>
        <translation>Sparad i projektet: {name}</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/profile_tab.py" line="195" />
        <source>Save the planning profile</source>
        <translation>Spara planeringsprofilen</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/profile_tab.py" line="211" />
        <source>The profile {path} could not be written ({reason}).</source>
        <translation>Profilen {path} kunde inte skrivas ({reason}).</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/run_control.py" line="62" />
        <source>Tick at least one layer of RUS elements.</source>
        <translation>Kryssa i minst ett lager med RUS-element.</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/run_control.py" line="71" />
        <source>The profile has errors; see the Profile tab.</source>
        <translation>Profilen har fel; se fliken Profil.</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/run_control.py" line="94" />
        <source>Checking {n} element layers against {m} agency layers…</source>
        <translation>Kontrollerar {n} elementlager mot {m} myndighetslager…</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/run_control.py" line="126" />
        <source>The check failed.</source>
        <translation>Kontrollen misslyckades.</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/live_check.py" line="64" />
        <source>Run the check once; live mode then follows your edits.</source>
        <translation>Kör kontrollen en gång; därefter följer direktläget dina ändringar.</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/live_check.py" line="83" />
        <source>Live mode: {n} edited elements checked again.</source>
        <translation>Direktläge: {n} redigerade element kontrollerade igen.</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/findings_tab.py" line="151" />
        <source>{shown} of {total} shown</source>
        <translation>{shown} av {total} visas</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/findings_tab.py" line="159" />
        <source>All classes</source>
        <translation>Alla klasser</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/findings_tab.py" line="159" />
        <source>All elements</source>
        <translation>Alla element</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/findings_export.py" line="44" />
        <source>Export findings</source>
        <translation>Exportera iakttagelser</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/findings_export.py" line="44" />
        <source>GeoPackage (*.gpkg);;CSV for Excel (*.csv);;HTML summary (*.html)</source>
        <translation>GeoPackage (*.gpkg);;CSV för Excel (*.csv);;HTML-sammanfattning (*.html)</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/findings_export.py" line="79" />
        <source>RUS check: findings</source>
        <translation>RUS-kontroll: iakttagelser</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/findings_export.py" line="95" />
        <source>{n} findings exported to {path}</source>
        <translation>{n} iakttagelser exporterade till {path}</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/results.py" line="67" />
        <source>nodes</source>
        <translation>noder</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/results.py" line="67" />
        <source>corridors</source>
        <translation>stråk</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/results.py" line="67" />
        <source>areas</source>
        <translation>områden</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/results.py" line="216" />
        <source>RUS check findings: {kind}</source>
        <translation>RUS-kontroll – iakttagelser: {kind}</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/task.py" line="148" />
        <source>The check failed unexpectedly: {reason}</source>
        <translation>Kontrollen misslyckades oväntat: {reason}</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/territorial_summary.py" line="68" />
        <source>Findings (output of Check elements against agency layers)</source>
        <translation>Iakttagelser (resultat av Kontrollera element mot myndighetsunderlag)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/territorial_summary.py" line="178" />
        <source>The findings layer has no “severity” field; is it the output of Check elements against agency layers?</source>
        <translation>Iakttagelselagret saknar fältet ”severity”; är det resultatet av Kontrollera RUS-element?</translation>
    </message>
    <message>
        <location filename="../rus_planner/plugin.py" line="77" />
        <source>Share as GeoPackage…</source>
        <translation>Dela som GeoPackage…</translation>
    </message>
    <message>
        <location filename="../rus_planner/plugin.py" line="77" />
        <source>One GeoPackage with the elements, sectors, agency extracts, results, styles and the project, for anyone with plain QGIS</source>
        <translation>En GeoPackage med element, sektorer, utdrag ur myndighetsunderlagen, resultat, stilar och projektet, för alla med vanlig QGIS</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/sector_inputs.py" line="66" />
        <source>The sector “{id}” has no usable features; it is absent (0) everywhere.</source>
        <translation>Sektorn ”{id}” har inga användbara objekt; den saknas (0) överallt.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/check_elements.py" line="118" />
        <source>Language of the findings (rule names, advice, element types)</source>
        <translation>Språk för iakttagelserna (regelnamn, rekommendation, elementtyper)</translation>
    </message>
    <message>
        <location filename="../rus_planner/dependencies.py" line="65" />
        <source>RUS Planner needs the Python packages {names}, which this QGIS cannot use. Install them into the Python that QGIS runs, then restart QGIS: the section “Installing in QGIS” of the plugin's README gives the command for Windows, Linux and macOS.</source>
        <translation>RUS Planner behöver Python-paketen {names}, som denna QGIS inte kan använda. Installera dem i den Python som QGIS kör och starta sedan om QGIS: avsnittet ”Installing in QGIS” i insticksprogrammets README ger kommandot för Windows, Linux och macOS.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/check_model.py" line="187" />
        <source>Agency layers not checked: none of {total}.</source>
        <translation>Myndighetslager som inte kunde kontrolleras: inget av {total}.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/check_model.py" line="188" />
        <source>{layer} (in part)</source>
        <translation>{layer} (delvis)</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/check_model.py" line="191" />
        <source>Agency layers not checked: {n} of {total} – {layers}; their findings are class D.</source>
        <translation>Myndighetslager som inte kunde kontrolleras: {n} av {total} – {layers}; deras iakttagelser är klass D.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_read.py" line="166" />
        <source>Agency layer “{layer}”, filter {filter}: {problem}. Its rules are checked against every feature.</source>
        <translation>Myndighetslagret ”{layer}”, filtret {filter}: {problem}. Dess regler kontrolleras mot alla objekt.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_read.py" line="249" />
        <source>The agency layer “{layer}” has the same data source as “{first}”: it is checked once, so that its findings are not doubled.</source>
        <translation>Myndighetslagret ”{layer}” har samma datakälla som ”{first}”: det kontrolleras en gång, så att dess iakttagelser inte dubbleras.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/check_findings.py" line="113" />
        <source>The rule “{rule}” for the agency layer “{layer}” could not be checked: {reason} Every element gets a class D finding for it; this is not “no conflict”.</source>
        <translation>Regeln ”{rule}” för myndighetslagret ”{layer}” kunde inte kontrolleras: {reason} Varje element får en iakttagelse i klass D för den; det betyder inte ”ingen konflikt”.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/completeness.py" line="205" />
        <source>the rule's filter picks none of the layer's {n} features</source>
        <translation>regelns filter väljer inget av lagrets {n} objekt</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/completeness.py" line="234" />
        <source>the layer has 0 features</source>
        <translation>lagret har 0 objekt</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/completeness.py" line="232" />
        <source>the layer reports {n} features, but reading it gave none</source>
        <translation>lagret anger {n} objekt, men läsningen gav inga</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/completeness.py" line="235" />
        <source>all {n} features of the layer have an empty geometry</source>
        <translation>alla {n} objekt i lagret har tom geometri</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/web_services.py" line="82" />
        <source>the service delivered {delivered} of the {matched} features it reports</source>
        <translation>tjänsten levererade {delivered} av de {matched} objekt som den själv anger</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/web_services.py" line="87" />
        <source>reading from the service failed: {detail}</source>
        <translation>läsningen från tjänsten misslyckades: {detail}</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/web_services.py" line="208" />
        <source>the service answered HTTP {status}: {text}</source>
        <translation>tjänsten svarade HTTP {status}: {text}</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/web_services.py" line="208" />
        <source>the service answered HTTP {status}</source>
        <translation>tjänsten svarade HTTP {status}</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/web_services.py" line="214" />
        <source>the service did not answer ({detail})</source>
        <translation>tjänsten svarade inte ({detail})</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/web_services.py" line="218" />
        <source>the service's answer broke off before its end ({detail})</source>
        <translation>tjänstens svar bröts av före slutet ({detail})</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/web_services.py" line="224" />
        <source>the service answered with an empty body (HTTP {status})</source>
        <translation>tjänsten svarade med ett tomt svar (HTTP {status})</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/web_services.py" line="269" />
        <source>the service answered with an exception report: {text}</source>
        <translation>tjänsten svarade med en felrapport: {text}</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/web_services.py" line="317" />
        <source>the service's answer could not be read ({detail})</source>
        <translation>tjänstens svar gick inte att läsa ({detail})</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/web_services.py" line="321" />
        <source>the service answered with something other than features: {text}</source>
        <translation>tjänsten svarade med något annat än objekt: {text}</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/export.py" line="281" />
        <source>{written} of {total} features arrived</source>
        <translation>{written} av {total} objekt kom fram</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/filters.py" line="43" />
        <source>and {n} more</source>
        <translation>och {n} till</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/filters.py" line="44" />
        <source>no fields</source>
        <translation>inga fält</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/filters.py" line="69" />
        <source> (did you mean “{field}”?)</source>
        <translation> (menade du ”{field}”?)</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/filters.py" line="70" />
        <source>the filter refers to unknown field “{field}”{hint}; the layer has: {fields}</source>
        <translation>filtret hänvisar till det okända fältet ”{field}”{hint}; lagret har: {fields}</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/filters.py" line="83" />
        <source>the filter cannot be evaluated ({error})</source>
        <translation>filtret kan inte beräknas ({error})</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/filters.py" line="149" />
        <source>the filter uses a function QGIS does not know: “{name}”</source>
        <translation>filtret använder en funktion som QGIS inte känner till: ”{name}”</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/filters.py" line="151" />
        <source>the filter is not a valid QGIS expression: {error}</source>
        <translation>filtret är inte ett giltigt QGIS-uttryck: {error}</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/filters.py" line="156" />
        <source>a field name is written in double quotes ("TYP"), a text in single quotes ('text')</source>
        <translation>ett fältnamn skrivs inom dubbla citattecken ("TYP"), en text inom enkla ('text')</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/filters.py" line="158" />
        <source>the filter names no field and chooses no feature at all; {hint}</source>
        <translation>filtret nämner inget fält och väljer inga objekt alls; {hint}</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/filters.py" line="159" />
        <source>the filter names no field and keeps every feature; {hint}</source>
        <translation>filtret nämner inget fält och behåller alla objekt; {hint}</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/filters.py" line="177" />
        <source>only a local file, given by its full path, is opened while validating</source>
        <translation>bara en lokal fil, angiven med hela sökvägen, öppnas vid valideringen</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/filters.py" line="181" />
        <source>the file does not exist here</source>
        <translation>filen finns inte här</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/filters.py" line="183" />
        <source>it is not an ordinary file or folder</source>
        <translation>den är ingen vanlig fil eller mapp</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/filters.py" line="200" />
        <source>QGIS cannot open it as a vector layer</source>
        <translation>QGIS kan inte öppna den som ett vektorlager</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/crs_checks.py" line="72" />
        <source>The target CRS {crs} is made for another part of the world: its area of use does not reach Sweden, so areas and distances in it cannot be trusted here. Choose SWEREF 99 TM (EPSG:3006).</source>
        <translation>Mål-CRS {crs} är gjort för en annan del av världen: dess användningsområde når inte Sverige, så ytor och avstånd i det går inte att lita på här. Välj SWEREF 99 TM (EPSG:3006).</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/crs_checks.py" line="80" />
        <source>The target CRS {crs} distorts too much to measure in Sweden: areas in it are up to {area} % off their true size and lengths up to {length} % (near {place}); RUS Planner accepts at most 1 %. Choose SWEREF 99 TM (EPSG:3006), or a SWEREF 99 or RT90 zone, or UTM zone 32–35 N for data inside the zone.</source>
        <translation>Mål-CRS {crs} förvränger för mycket för att mäta i Sverige: ytor i det avviker upp till {area} % från sin verkliga storlek och längder upp till {length} % (nära {place}); RUS Planner godtar högst 1 %. Välj SWEREF 99 TM (EPSG:3006), en SWEREF 99- eller RT90-zon, eller UTM-zon 32–35 N för data inom zonen.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/crs_checks.py" line="210" />
        <source>The layer “{layer}” is a table of geometry collections, and QGIS gives such a layer no coordinate reference system (CRS) of its own here, even where the file states one. Set its CRS in the layer properties, or save its points, lines and polygons as layers of their own.</source>
        <translation>Lagret ”{layer}” är en tabell med geometrisamlingar, och QGIS ger här ett sådant lager inget eget koordinatsystem (CRS), även där filen anger ett. Ange dess CRS i lageregenskaperna, eller spara dess punkter, linjer och polygoner som egna lager.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/layers.py" line="288" />
        <source>the layer “{layer}” could not be read: the connection to its data source failed</source>
        <translation>lagret ”{layer}” gick inte att läsa: anslutningen till dess datakälla misslyckades</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/geometry.py" line="265" />
        <source>points</source>
        <translation>punkter</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/geometry.py" line="265" />
        <source>lines</source>
        <translation>linjer</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/geometry.py" line="265" />
        <source>polygons</source>
        <translation>polygoner</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/geometry.py" line="266" />
        <source>The layer “{layer}” holds geometry collections that mix kinds ({kinds}). RUS Planner measures one kind of geometry per layer (areas of polygons, lengths of lines), so it cannot read this layer without losing some of it. Save its points, lines and polygons as layers of their own and use those.</source>
        <translation>Lagret ”{layer}” innehåller geometrisamlingar som blandar slag ({kinds}). RUS Planner mäter ett slags geometri per lager (ytor för polygoner, längder för linjer), så lagret kan inte läsas utan att en del av det går förlorad. Spara dess punkter, linjer och polygoner som egna lager och använd dem.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/geometry.py" line="369" />
        <source>{layer}: {n} features share their feature id with another feature (the layer's key is not unique, e.g. a database view keyed on a column with repeated values). Each feature is still checked on its own, but ids in the results (element_fid, feature_fid, sources) cannot tell them apart: give the layer a unique key.</source>
        <translation>{layer}: {n} objekt delar sitt objekt-id med ett annat objekt (lagrets nyckel är inte unik, t.ex. en databasvy med en nyckelkolumn som har upprepade värden). Varje objekt kontrolleras ändå för sig, men id:n i resultaten (element_fid, feature_fid, källor) kan inte skilja dem åt: ge lagret en unik nyckel.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/geometry.py" line="378" />
        <source>{layer}: {n} features have no feature id (an empty key). Each feature is still checked on its own, but the results cannot point back to them: give the layer a unique key.</source>
        <translation>{layer}: {n} objekt saknar objekt-id (en tom nyckel). Varje objekt kontrolleras ändå för sig, men resultaten kan inte peka tillbaka på dem: ge lagret en unik nyckel.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/geometry.py" line="386" />
        <source>{layer}: the file does not state the encoding of its texts (it has no .cpg file) and they are not valid in the layer's encoding; they were read as {encoding}. Add a .cpg file naming the encoding, or set it in the layer properties (Source › Data source encoding).</source>
        <translation>{layer}: filen anger inte teckenkodningen för sina texter (den saknar .cpg-fil) och de är inte giltiga i lagrets kodning; de lästes som {encoding}. Lägg till en .cpg-fil som anger kodningen, eller ange den i lageregenskaperna (Källa › Datakällans kodning).</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/feature_writing.py" line="75" />
        <source>Writing the output failed after {n} features: {reason}</source>
        <translation>Skrivningen av utdata misslyckades efter {n} objekt: {reason}</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/results.py" line="295" />
        <source>the data source gave no reason</source>
        <translation>datakällan angav ingen orsak</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/feature_writing.py" line="100" />
        <source>The features of “{layer}” could not be written: {reason}</source>
        <translation>Objekten i ”{layer}” kunde inte skrivas: {reason}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="30" />
        <source>a text over several lines</source>
        <translation>en text över flera rader</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="30" />
        <source>a text</source>
        <translation>en text</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_yaml.py" line="144" />
        <source>more than {limit} aliases (*name); a profile may repeat a value by an alias at most {limit} times</source>
        <translation>fler än {limit} alias (*namn); en profil får upprepa ett värde med alias högst {limit} gånger</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_yaml.py" line="152" />
        <source>the alias *{anchor} stands inside the value it names, which makes it endless</source>
        <translation>aliaset *{anchor} står inuti värdet det pekar på, vilket gör det oändligt</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_yaml.py" line="163" />
        <source>the aliases (*name) repeat more than {limit} values; a profile that grows like this (an “alias bomb”) is refused</source>
        <translation>aliasen (*namn) upprepar fler än {limit} värden; en profil som växer så här (en ”aliasbomb”) avvisas</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_yaml.py" line="175" />
        <source>this value could not be read as a number or a date (out of range or too long)</source>
        <translation>värdet kunde inte läsas som ett tal eller ett datum (utanför giltigt intervall eller för långt)</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_yaml.py" line="229" />
        <source>the file is in UTF-16 or UTF-32, not UTF-8; save it as UTF-8</source>
        <translation>filen är i UTF-16 eller UTF-32, inte UTF-8; spara den som UTF-8</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_yaml.py" line="232" />
        <source>this is binary data, not text (it holds zero bytes); a profile is a YAML text file in UTF-8</source>
        <translation>detta är binärdata, inte text (den innehåller nollbyte); en profil är en YAML-textfil i UTF-8</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_load.py" line="87" />
        <source>the file holds a control character ({code}) that YAML text may not contain; a profile is a plain text file</source>
        <translation>filen innehåller ett styrtecken ({code}) som YAML-text inte får innehålla; en profil är en vanlig textfil</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_load.py" line="124" />
        <source>this is not a planning profile: none of its top-level keys is one a profile has ({keys}); choose the profile's YAML file</source>
        <translation>detta är ingen planeringsprofil: ingen av dess nycklar på översta nivån är en som en profil har ({keys}); välj profilens YAML-fil</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_load.py" line="170" />
        <source>it does not exist</source>
        <translation>den finns inte</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_load.py" line="172" />
        <source>no permission to read it</source>
        <translation>behörighet saknas att läsa den</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_load.py" line="179" />
        <source>this is a folder, not a file; choose the profile's YAML file</source>
        <translation>detta är en mapp, inte en fil; välj profilens YAML-fil</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_load.py" line="181" />
        <source>this is not an ordinary file but a device, a pipe or a socket, which may never end; a profile is a YAML file</source>
        <translation>detta är ingen vanlig fil utan en enhet, en pipe eller en socket, som kanske aldrig tar slut; en profil är en YAML-fil</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_load.py" line="226" />
        <source>the file is larger than {limit} MB; a profile may be at most {limit} MB</source>
        <translation>filen är större än {limit} MB; en profil får vara högst {limit} MB</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/project_state.py" line="230" />
        <source>The reviews stored in the project “{file}” are damaged and could not be read; the project opens without them. Saving the project replaces them with the reviews made from now on: keep a copy of the project file if you need the old ones.</source>
        <translation>Bedömningarna som är lagrade i projektet ”{file}” är skadade och kunde inte läsas; projektet öppnas utan dem. När projektet sparas ersätts de av de bedömningar som görs från och med nu: behåll en kopia av projektfilen om du behöver de gamla.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/project_state.py" line="235" />
        <source>The data sources of the last run stored in the project “{file}” are damaged and could not be read; they are left out until the check is run again.</source>
        <translation>Datakällorna för den senaste körningen som är lagrade i projektet ”{file}” är skadade och kunde inte läsas; de utelämnas tills kontrollen körs igen.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/project_state.py" line="249" />
        <source>The planning profile stored in the project “{file}” cannot be used:
{problems}
Give a profile file with PROFILE, or open the project in QGIS, correct the profile on the Profile tab of the RUS check panel and save the project.</source>
        <translation>Planeringsprofilen som är lagrad i projektet ”{file}” kan inte användas:
{problems}
Ange en profilfil med PROFILE, eller öppna projektet i QGIS, rätta profilen på fliken Profil i panelen RUS-kontroll och spara projektet.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/share.py" line="209" />
        <source>{path} exists already; the package is written to a new file only.</source>
        <translation>{path} finns redan; paketet skrivs bara till en ny fil.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/share.py" line="229" />
        <source>The data source of “{layer}” holds credentials (a password, key or token). The package names the source without them: whoever reloads the layer from its source must supply their own.</source>
        <translation>Datakällan för ”{layer}” innehåller inloggningsuppgifter (ett lösenord, en nyckel eller en token). Paketet anger källan utan dem: den som läser in lagret från källan igen måste ange egna.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/share.py" line="260" />
        <source>The table “{table}” holds {written} of {total} features; the package was not kept.</source>
        <translation>Tabellen ”{table}” innehåller {written} av {total} objekt; paketet behölls inte.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/share.py" line="296" />
        <source>The layer “{layer}” in the package's project reads from outside the package; its credentials were left out, so the receiver must supply them to open it.</source>
        <translation>Lagret ”{layer}” i paketets projekt läser från en källa utanför paketet; dess inloggningsuppgifter har utelämnats, så mottagaren måste ange dem för att öppna det.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/staging.py" line="49" />
        <source>{output} could not be written: “{path}” is a file, not a folder. Nothing was written; choose a folder.</source>
        <translation>{output} kunde inte skrivas: ”{path}” är en fil, inte en mapp. Inget skrevs; välj en mapp.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/staging.py" line="174" />
        <source>{output} could not be written: the folder “{path}” does not exist. Nothing was written.</source>
        <translation>{output} kunde inte skrivas: mappen ”{path}” finns inte. Inget skrevs.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/staging.py" line="182" />
        <source>{output} could not be written: the folder “{path}” cannot be written to ({reason}). Nothing was written.</source>
        <translation>{output} kunde inte skrivas: det går inte att skriva i mappen ”{path}” ({reason}). Inget skrevs.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/staging.py" line="80" />
        <source>{path} is still open for writing; nothing was moved into place.</source>
        <translation>{path} är fortfarande öppen för skrivning; inget flyttades på plats.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/staging.py" line="168" />
        <source>{output} could not be written: “{path}” is a folder. Nothing was written; choose a file name.</source>
        <translation>{output} kunde inte skrivas: ”{path}” är en mapp. Inget skrevs; välj ett filnamn.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/staging.py" line="190" />
        <source>{output} could not be written. Nothing was written.</source>
        <translation>{output} kunde inte skrivas. Inget skrevs.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/report_run.py" line="262" />
        <source>The report {path} could not be written ({reason}); nothing was written.</source>
        <translation>Rapporten {path} kunde inte skrivas ({reason}); inget skrevs.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="148" />
        <source>The zone layer has no field “{field}” to name the pages; its fields are: {fields}. Nothing was written.</source>
        <translation>Zonlagret har inget fält ”{field}” att namnge sidorna med; dess fält är: {fields}. Inget skrevs.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/territorial_summary.py" line="265" />
        <source>{layer}: the field “{field}” is read as the sector “{id}”: a shapefile keeps only 10 characters of a field name.</source>
        <translation>{layer}: fältet ”{field}” läses som sektorn ”{id}”: en shapefil behåller bara 10 tecken av ett fältnamn.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/territorial_summary.py" line="272" />
        <source>{layer}: the sector field “{field}” matches none of the sector ids the overlay lists (its name may have been shortened, e.g. in a shapefile); it is summarised under the name “{field}”.</source>
        <translation>{layer}: sektorsfältet ”{field}” matchar inget av de sektors-id som överlagringen anger (namnet kan ha kortats, t.ex. i en shapefil); det sammanställs under namnet ”{field}”.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/territorial_summary.py" line="280" />
        <source>{layer}: the overlay lists the sector “{id}”, but none of its fields holds it, so it is missing from the summary. Save the sector overlay as a GeoPackage, which keeps full field names, and run the summary again.</source>
        <translation>{layer}: överlagringen anger sektorn ”{id}”, men inget av dess fält innehåller den, så den saknas i sammanställningen. Spara sektorsöverlagringen som GeoPackage, som behåller hela fältnamn, och kör sammanställningen igen.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="38" />
        <source>Checks a RUS Planner planning profile (YAML): its sectors, agency rules and element types. Every problem is listed with the file, line and key and what was expected. Every filter is parsed as a QGIS expression and, where its layer is given by source as a local file, the fields it names are looked up in that layer. Without a file, the default Swedish profile shipped with the plugin is checked.</source>
        <translation>Kontrollerar en planeringsprofil (YAML) för RUS Planner: dess sektorer, myndighetsregler och elementtyper. Varje fel listas med fil, rad och nyckel och vad som förväntades. Varje filter tolkas som ett QGIS-uttryck och, där dess lager anges med datakälla som en lokal fil, slås fälten det nämner upp i det lagret. Utan fil kontrolleras den svenska standardprofilen som följer med insticksprogrammet.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="101" />
        <source>The fields a filter names were not checked against the layer “{source}” ({reason}); only the filter's syntax was.</source>
        <translation>Fälten som ett filter nämner kontrollerades inte mot lagret ”{source}” ({reason}); bara filtrets syntax kontrollerades.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/base.py" line="144" />
        <source>The existing {path} is unchanged.</source>
        <translation>Den befintliga {path} är oförändrad.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/output_targets.py" line="89" />
        <source>{output}: the table “{table}” would be written into “{path}”, which this run reads as a whole ({input}). Nothing was written; name the input's table (“{path}|layername=...”) or write to another file.</source>
        <translation>{output}: tabellen ”{table}” skulle skrivas till ”{path}”, som den här körningen läser i sin helhet ({input}). Inget skrevs; ange indatats tabell (”{path}|layername=...”) eller skriv till en annan fil.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/output_targets.py" line="101" />
        <source>{output}: the table “{table}” of “{path}” is read by this run ({input}) and would be replaced. Nothing was written; choose another table name or another file.</source>
        <translation>{output}: tabellen ”{table}” i ”{path}” läses av den här körningen ({input}) och skulle ersättas. Inget skrevs; välj ett annat tabellnamn eller en annan fil.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/output_targets.py" line="112" />
        <source>{output}: “{path}” is read by this run ({input}); writing it would replace the whole file and every table in it. Nothing was written; choose another file, or add a new table to it with ogr:dbname='{path}' table="name".</source>
        <translation>{output}: ”{path}” läses av den här körningen ({input}); att skriva den skulle ersätta hela filen och alla tabeller i den. Inget skrevs; välj en annan fil, eller lägg till en ny tabell i den med ogr:dbname='{path}' table="namn".</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/output_targets.py" line="128" />
        <source>{first} and {second} are the same output (“{path}”): the second would replace the first. Nothing was written; choose two different files or tables.</source>
        <translation>{first} och {second} är samma utdata (”{path}”): den andra skulle ersätta den första. Inget skrevs; välj två olika filer eller tabeller.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/outputs.py" line="124" />
        <source>{output}: fields renamed because another field has the same name apart from upper and lower case, which a GeoPackage or shapefile cannot hold: {names}</source>
        <translation>{output}: fält har bytt namn eftersom ett annat fält har samma namn så när som på stora och små bokstäver, vilket en GeoPackage eller shapefil inte kan rymma: {names}</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/outputs.py" line="173" />
        <source>{output} could not be written: no file was given.</source>
        <translation>{output} kunde inte skrivas: ingen fil angavs.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/outputs.py" line="207" />
        <source>{output} could not be written: no folder was given.</source>
        <translation>{output} kunde inte skrivas: ingen mapp angavs.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/outputs.py" line="220" />
        <source>{output} could not be written: the folder “{path}” cannot be made ({reason}). Nothing was written.</source>
        <translation>{output} kunde inte skrivas: mappen ”{path}” kan inte skapas ({reason}). Inget skrevs.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/outputs.py" line="308" />
        <source>{output} could not be written: only {written} of {total} features reached the file.</source>
        <translation>{output} kunde inte skrivas: bara {written} av {total} objekt kom fram till filen.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/grid_gpkg.py" line="155" />
        <source>{output} could not be written: {reason}</source>
        <translation>{output} kunde inte skrivas: {reason}</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/gpkg_tables.py" line="72" />
        <source>The table “{table}” could not be put in place in {path} ({reason}); the table as it was is unchanged.</source>
        <translation>Tabellen ”{table}” kunde inte sättas på plats i {path} ({reason}); tabellen som den var är oförändrad.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/grid_gpkg.py" line="205" />
        <source>not every feature arrived</source>
        <translation>alla objekt kom inte fram</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/gpkg_tables.py" line="98" />
        <source>The table “{table}” could not be written into {path} ({reason}); the table as it was is unchanged.</source>
        <translation>Tabellen ”{table}” kunde inte skrivas till {path} ({reason}); tabellen som den var är oförändrad.</translation>
    </message>
    <message>
        <location filename="../rus_planner/project_files.py" line="34" />
        <source>The file is damaged or not a QGIS project; it may have been cut short while it was copied or downloaded. Copy it again, or use a copy saved earlier.</source>
        <translation>Filen är skadad eller inget QGIS-projekt; den kan ha blivit avkortad när den kopierades eller laddades ned. Kopiera den igen, eller använd en tidigare sparad kopia.</translation>
    </message>
    <message>
        <location filename="../rus_planner/project_files.py" line="39" />
        <source>there is no such file</source>
        <translation>filen finns inte</translation>
    </message>
    <message>
        <location filename="../rus_planner/project_files.py" line="39" />
        <source>Check the path given with --PROJECT_PATH.</source>
        <translation>Kontrollera sökvägen som angavs med --PROJECT_PATH.</translation>
    </message>
    <message>
        <location filename="../rus_planner/project_files.py" line="41" />
        <source>it is a folder, not a project file</source>
        <translation>det är en mapp, inte en projektfil</translation>
    </message>
    <message>
        <location filename="../rus_planner/project_files.py" line="46" />
        <source>Give the path of the project file itself (.qgz or .qgs).</source>
        <translation>Ange sökvägen till själva projektfilen (.qgz eller .qgs).</translation>
    </message>
    <message>
        <location filename="../rus_planner/project_files.py" line="46" />
        <source>it is not an ordinary file (a device, a pipe or a socket)</source>
        <translation>det är ingen vanlig fil (en enhet, ett rör eller en socket)</translation>
    </message>
    <message>
        <location filename="../rus_planner/project_files.py" line="51" />
        <source>it may not be read (no permission)</source>
        <translation>den får inte läsas (behörighet saknas)</translation>
    </message>
    <message>
        <location filename="../rus_planner/project_files.py" line="51" />
        <source>Check who may read the file.</source>
        <translation>Kontrollera vem som får läsa filen.</translation>
    </message>
    <message>
        <location filename="../rus_planner/project_files.py" line="53" />
        <source>the file is empty</source>
        <translation>filen är tom</translation>
    </message>
    <message>
        <location filename="../rus_planner/project_files.py" line="57" />
        <source>it is not a complete .qgz archive</source>
        <translation>det är inget fullständigt .qgz-arkiv</translation>
    </message>
    <message>
        <location filename="../rus_planner/project_files.py" line="59" />
        <source>the .qgz archive holds no project (.qgs) file</source>
        <translation>.qgz-arkivet innehåller ingen projektfil (.qgs)</translation>
    </message>
    <message>
        <location filename="../rus_planner/project_files.py" line="66" />
        <source>The QGIS project “{path}” could not be opened: {reason}. {advice}</source>
        <translation>QGIS-projektet ”{path}” kunde inte öppnas: {reason}. {advice}</translation>
    </message>
    <message>
        <location filename="../rus_planner/project_files.py" line="76" />
        <source>its project (.qgs) file could not be read</source>
        <translation>dess projektfil (.qgs) kunde inte läsas</translation>
    </message>
    <message>
        <location filename="../rus_planner/project_files.py" line="88" />
        <source>its XML is broken at line {line}, column {column}</source>
        <translation>dess XML är trasig på rad {line}, kolumn {column}</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/project_sync.py" line="28" />
        <source>The planning profile stored in the project “{file}” cannot be used (problems found: {count}; they are listed on the Profile tab of the RUS check panel). Correct it there and save the project, or choose another profile; the check does not run until then.</source>
        <translation>Planeringsprofilen som är lagrad i projektet ”{file}” kan inte användas (antal problem: {count}; de listas på fliken Profil i panelen RUS-kontroll). Rätta den där och spara projektet, eller välj en annan profil; kontrollen körs inte förrän dess.</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/run_control.py" line="139" />
        <source>The findings were not written; “{path}” was kept as it was.</source>
        <translation>Iakttagelserna skrevs inte; ”{path}” behölls som den var.</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/findings_store.py" line="74" />
        <source>“{path}” exists and was not written by the RUS check panel. Replace it with the findings?</source>
        <translation>”{path}” finns redan och skrevs inte av panelen RUS-kontroll. Ersätta den med iakttagelserna?</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/findings_store.py" line="84" />
        <source>No keeps it and writes the findings to “{other}”; Cancel writes nothing.</source>
        <translation>Nej behåller den och skriver iakttagelserna till ”{other}”; Avbryt skriver inget.</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/findings_export.py" line="64" />
        <source>“{path}” is the data of the layer “{layer}”; nothing was exported. Choose another file.</source>
        <translation>”{path}” är data för lagret ”{layer}”; inget exporterades. Välj en annan fil.</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/project_sync.py" line="46" />
        <source>The RUS Planner settings stored in the project “{file}” could not be read ({reason}); the RUS check panel starts from its defaults. Saving the project replaces them.</source>
        <translation>RUS Planners inställningar som är lagrade i projektet ”{file}” kunde inte läsas ({reason}); panelen RUS-kontroll börjar med sina standardvärden. När projektet sparas ersätts de.</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/results.py" line="331" />
        <source>The findings</source>
        <translation>Iakttagelserna</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/results.py" line="295" />
        <source>The old findings of the edited elements could not be removed from “{layer}”: {reason}</source>
        <translation>De redigerade elementens gamla iakttagelser kunde inte tas bort från ”{layer}”: {reason}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="98" />
        <source>in no layer (withheld by law)</source>
        <translation>i inget lager (sekretessbelagt enligt lag)</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/standing.py" line="42" />
        <source>Not checked in any run: {name} ({agency}). {reason} Every element gets a class D finding for it; this is not “no conflict”.</source>
        <translation>Kontrolleras inte i någon körning: {name} ({agency}). {reason} Varje element får en iakttagelse i klass D för det; det betyder inte ”ingen konflikt”.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/numbers.py" line="57" />
        <source>today {time}</source>
        <translation>i dag {time}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/numbers.py" line="59" />
        <source>yesterday {time}</source>
        <translation>i går {time}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/numbers.py" line="60" />
        <source>Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec</source>
        <translation>jan feb mars apr maj juni juli aug sep okt nov dec</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/staging.py" line="108" />
        <source>“{path}” could not be replaced: its spatial index “{index}” would still describe the old data, and RUS Planner removes no file it did not write. Remove the index or choose another name. Nothing was written.</source>
        <translation>”{path}” kunde inte ersättas: dess rumsliga index ”{index}” skulle fortfarande beskriva de gamla data, och RUS Planner tar inte bort någon fil som insticksprogrammet inte har skrivit. Ta bort indexet eller välj ett annat namn. Inget skrevs.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/finding_nature.py" line="158" />
        <source>The element supports this interest: show in the regionplan how, and agree the design with {agency}.</source>
        <translation>Elementet stöder intresset: visa i regionplanen hur, och stäm av utformningen med {agency}.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/finding_nature.py" line="162" />
        <source>The element supports this interest: describe how in the strategy and agree the design with {agency}.</source>
        <translation>Elementet stöder intresset: beskriv i strategin hur, och stäm av utformningen med {agency}.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/finding_nature.py" line="167" />
        <source>For information: the element exists already or the interest needs no weighing here. Mention it where the element is described.</source>
        <translation>För kännedom: elementet finns redan eller intresset behöver inte vägas här. Nämn det där elementet beskrivs.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/finding_nature.py" line="173" />
        <source>The regionplan must show how this interest is met (PBL 7 kap); it guides the kommuner's comprehensive plans.</source>
        <translation>Regionplanen ska visa hur intresset tillgodoses (PBL 7 kap); den är vägledande för kommunernas översiktsplaner.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/finding_nature.py" line="200" />
        <source>Within the scale tolerance of {tolerance} m (the element is drawn at 1:{scale}): its position is schematic, so the overlap is uncertain.</source>
        <translation>Inom skaltoleransen {tolerance} m (elementet är ritat i 1:{scale}): läget är schematiskt, så överlappet är osäkert.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/finding_nature.py" line="204" />
        <source>Within the scale tolerance of {tolerance} m: the element's position is schematic, so the overlap is uncertain.</source>
        <translation>Inom skaltoleransen {tolerance} m: elementets läge är schematiskt, så överlappet är osäkert.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="145" />
        <source>unknown value {found}; expected one of: {allowed}</source>
        <translation>okänt värde {found}; förväntade ett av: {allowed}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile_validate.py" line="289" />
        <source>a nature_for entry needs “element_type”, “theme” or “category”</source>
        <translation>en post under nature_for behöver ”element_type”, ”theme” eller ”category”</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/finding_nature.py" line="131" />
        <source>conflict</source>
        <translation>konflikt</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/finding_nature.py" line="132" />
        <source>agreement</source>
        <translation>samstämmighet</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/finding_nature.py" line="133" />
        <source>information</source>
        <translation>information</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/finding_nature.py" line="139" />
        <source>existing</source>
        <translation>befintlig</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/finding_nature.py" line="140" />
        <source>planned</source>
        <translation>planerad</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/finding_nature.py" line="141" />
        <source>under study</source>
        <translation>under utredning</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/finding_nature.py" line="186" />
        <source>Regionplan (PBL 7 kap): guiding for the kommuner's comprehensive plans; it must show how riksintressen and environmental quality standards are met.</source>
        <translation>Regionplan (PBL 7 kap): vägledande för kommunernas översiktsplaner; den ska visa hur riksintressen och miljökvalitetsnormer tillgodoses.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/finding_nature.py" line="190" />
        <source>RUS: a strategic, non-binding strategy; many overlaps are agreements, and the final weighing is made in the kommuner's comprehensive planning.</source>
        <translation>RUS: en strategisk, icke bindande strategi; många överlapp är samstämmigheter, och den slutliga avvägningen görs i kommunernas översiktsplanering.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/check_elements.py" line="65" />
        <source>Weighs every RUS element (nodes, corridors, areas) against the agency layers (riksintressen, protected nature, risks, total defence...). Each element × agency feature × rule gives one finding with its severity (A strong protection overlapped, B riksintresse overlapped, C within a distance or zone of influence, D could not be checked), the agency, the legal basis, advice, the overlap area or length, the shares of the element and of the agency feature affected, the distance and the data source.

Overlap means a common interior: areas that only touch along an edge do not overlap; a node on a boundary does. A proximity finding is left out where the same pair already overlaps under another rule of the layer.

Without a profile the default Swedish profile's rules are matched by layer name; a layer that matches no rule is checked for overlap with severity B. An agency layer that cannot be read completely (invalid, no CRS, unreachable service, time-out, a service that answers with an error, a broken or empty answer or fewer features than it reports, no features at all, only empty geometries) gives class D findings for every element, with the reason, and a warning: it is never shown as “no conflict”. So does a rule whose filter is not a valid expression, names a field the layer lacks or picks none of its features. A layer given twice is checked once. The log ends with the count of agency layers not checked.

Each finding also has a nature: a conflict, an agreement (the element supports the interest, e.g. a visitor-economy area at a national park) or information (e.g. an element that exists already); the profile says which per rule and element type, theme or category, and the advice follows the nature. An element's own fields status (befintlig/planerad/utredning), tema, kategori and skala (e.g. 1:250 000) are read where present: an element drawn at a small scale has a tolerance (1 mm on the map), and an overlap or gap within it is “near”, class C.

The summary has one row per element: the worst class, counts per class and nature, the agencies involved and the agency layers not checked, with the reason.</source>
        <translation>Väger varje RUS-element (noder, stråk, områden) mot myndigheternas underlag (riksintressen, skyddad natur, risker, totalförsvar ...). Varje kombination av element, myndighetsobjekt och regel ger en iakttagelse med konfliktklass (A överlapp med starkt skydd, B överlapp med riksintresse, C inom ett avstånd eller en påverkanszon, D kunde inte kontrolleras), ansvarig myndighet, lagrum, rekommendation, överlappets yta eller längd, hur stor andel av elementet och av myndighetsobjektet som berörs, avståndet och datakällan.

Överlapp betyder gemensamt inre: områden som bara möts längs en kant överlappar inte; en nod på en gräns gör det. En närhetsiakttagelse utelämnas där samma par redan överlappar enligt en annan regel för lagret.

Utan profil matchas standardprofilens regler mot lagrens namn; ett lager som inte matchar någon regel kontrolleras för överlapp med konfliktklass B. Ett myndighetslager som inte kan läsas fullständigt (ogiltigt, saknar CRS, tjänsten svarar inte, tidsgräns, tjänsten svarar med ett fel, ett avbrutet eller tomt svar eller färre objekt än den själv anger, inga objekt alls, bara tomma geometrier) ger iakttagelser i klass D för varje element, med orsaken, och en varning: det visas aldrig som ”ingen konflikt”. Detsamma gäller en regel vars filter inte är ett giltigt uttryck, hänvisar till ett fält som lagret saknar eller inte väljer något av lagrets objekt. Ett lager som anges två gånger kontrolleras en gång. Loggen slutar med antalet myndighetslager som inte kunde kontrolleras.

Varje iakttagelse har också en karaktär: en konflikt, en samstämmighet (elementet stöder intresset, t.ex. ett besöksnäringsområde vid en nationalpark) eller information (t.ex. ett element som redan finns); profilen anger vilken per regel och elementtyp, tema eller kategori, och rekommendationen följer karaktären. Elementets egna fält status (befintlig/planerad/utredning), tema, kategori och skala (t.ex. 1:250 000) läses där de finns: ett element ritat i liten skala har en tolerans (1 mm på kartan), och ett överlapp eller avstånd inom den är ”nära”, klass C.

Sammanställningen har en rad per element: värsta klass, antal per klass och karaktär, berörda myndigheter och de myndighetslager som inte kunde kontrolleras, med orsaken.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/check_elements.py" line="248" />
        <source>Of the checked findings: {conflict} conflicts, {agreement} agreements, {information} for information.</source>
        <translation>Av de kontrollerade iakttagelserna: {conflict} konflikter, {agreement} samstämmigheter, {information} för kännedom.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/compare_drafts.py" line="47" />
        <source>Compare two RUS drafts</source>
        <translation>Jämför två RUS-utkast</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/compare_drafts.py" line="50" />
        <source>Compares two drafts of the RUS (e.g. the samrådsversion and the utställningsversion) by their findings against the agency layers: each finding is new, removed, changed (class, nature, relation, overlap or distance) or unchanged.

Each draft is either its element layers, which are checked here against the agency layers, or findings saved from an earlier check (a layer with rule_id and severity). Findings are matched by the element's name (its feature id where it has none), the rule and the agency's own id of the feature, so elements in new files are still recognised.

The positions recorded on the old draft's findings are carried to the new draft's: they are written in the table and, when “Carry the reviews” is on, recorded in the project.</source>
        <translation>Jämför två utkast av RUS:en (t.ex. samrådsversionen och utställningsversionen) genom deras iakttagelser mot myndighetslagren: varje iakttagelse är ny, borttagen, ändrad (klass, karaktär, relation, överlapp eller avstånd) eller oförändrad.

Varje utkast är antingen dess elementlager, som här kontrolleras mot myndighetslagren, eller iakttagelser sparade från en tidigare kontroll (ett lager med rule_id och severity). Iakttagelserna matchas på elementets namn (dess objekt-id där det saknar namn), regeln och myndighetens eget id för objektet, så att element i nya filer ändå känns igen.

De ställningstaganden som registrerats för det gamla utkastets iakttagelser förs över till det nya utkastets: de skrivs i tabellen och, när ”För över ställningstagandena” är på, registreras de i projektet.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/compare_drafts.py" line="63" />
        <source>Old draft: element layers or saved findings</source>
        <translation>Gammalt utkast: elementlager eller sparade iakttagelser</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/compare_drafts.py" line="63" />
        <source>New draft: element layers or saved findings</source>
        <translation>Nytt utkast: elementlager eller sparade iakttagelser</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/compare_drafts.py" line="72" />
        <source>Agency layers (for drafts given as element layers)</source>
        <translation>Myndighetslager (för utkast som anges som elementlager)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/compare_drafts.py" line="82" />
        <source>Language of the findings</source>
        <translation>Iakttagelsernas språk</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/compare_drafts.py" line="83" />
        <source>Carry the reviews to the new draft in the project</source>
        <translation>För över ställningstagandena till det nya utkastet i projektet</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/compare_drafts.py" line="88" />
        <source>Changes between the drafts</source>
        <translation>Ändringar mellan utkasten</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/compare_drafts.py" line="102" />
        <source>Choose the layers of both drafts.</source>
        <translation>Välj lagren för båda utkasten.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/compare_drafts.py" line="124" />
        <source>Between the drafts: {new} new, {removed} removed, {changed} changed, {unchanged} unchanged.</source>
        <translation>Mellan utkasten: {new} nya, {removed} borttagna, {changed} ändrade, {unchanged} oförändrade.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/compare_drafts.py" line="141" />
        <source>The reviews were carried to the new draft's findings in the project.</source>
        <translation>Ställningstagandena fördes över till det nya utkastets iakttagelser i projektet.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/compare_drafts.py" line="150" />
        <source>A draft given as element layers needs the agency layers to check it against.</source>
        <translation>Ett utkast som anges som elementlager behöver myndighetslagren att kontrolleras mot.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="52" />
        <source>Nature</source>
        <translation>Karaktär</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/review_editor.py" line="51" />
        <source>Agency's view</source>
        <translation>Myndighetens synpunkt</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/review_editor.py" line="46" />
        <source>Diarienummer</source>
        <translation>Diarienummer</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/review_editor.py" line="42" />
        <source>The agency's view, from its remissvar</source>
        <translation>Myndighetens synpunkt, ur dess remissvar</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/review_editor.py" line="45" />
        <source>Remissvar date</source>
        <translation>Remissvarets datum</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/review_editor.py" line="45" />
        <source>YYYY-MM-DD</source>
        <translation>ÅÅÅÅ-MM-DD</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/review_editor.py" line="46" />
        <source>the agency's or the region's</source>
        <translation>myndighetens eller regionens</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/review_editor.py" line="47" />
        <source>Action decided</source>
        <translation>Beslutad åtgärd</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/review_editor.py" line="47" />
        <source>e.g. the area is reduced</source>
        <translation>t.ex. området minskas</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/review_editor.py" line="48" />
        <source>Decided by</source>
        <translation>Beslutad av</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/review_editor.py" line="48" />
        <source>e.g. Regionstyrelsen</source>
        <translation>t.ex. Regionstyrelsen</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/export.py" line="183" />
        <source>Resolved by change</source>
        <translation>Löst genom ändring</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/export.py" line="184" />
        <source>These positions belong to findings the latest check no longer gives: the element or the agency data changed. They are kept as the record of the dialogue.</source>
        <translation>Dessa ställningstaganden hör till iakttagelser som den senaste kontrollen inte längre ger: elementet eller myndighetens underlag har ändrats. De sparas som dokumentation av dialogen.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/export.py" line="195" />
        <source>Finding</source>
        <translation>Iakttagelse</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/catalogue.py" line="97" />
        <source>the catalogue has no verified address for this service ({page}); download the data from the agency and add it as a layer</source>
        <translation>katalogen har ingen kontrollerad adress till den här tjänsten ({page}); ladda ner underlaget från myndigheten och lägg till det som ett lager</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/catalogue.py" line="102" />
        <source>the fetch reads WFS 2.0 and OGC API Features only; this service ({protocol}) is downloaded by hand from {page}</source>
        <translation>hämtningen läser bara WFS 2.0 och OGC API Features; den här tjänsten ({protocol}) laddas ner för hand från {page}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/catalogue.py" line="107" />
        <source>the catalogue names no feature type for this service</source>
        <translation>katalogen anger ingen objekttyp för den här tjänsten</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/catalogue.py" line="135" />
        <source>not checked: no public source</source>
        <translation>ej kontrollerad: ingen öppen källa</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/catalogue.py" line="154" />
        <source>the file is larger than 1 MB; a catalogue is a short YAML file</source>
        <translation>filen är större än 1 MB; en katalog är en kort YAML-fil</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/catalogue.py" line="203" />
        <source>a catalogue is a mapping with “services”</source>
        <translation>en katalog är en mappning med ”services”</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/catalogue.py" line="208" />
        <source>“services” must be a non-empty list</source>
        <translation>”services” måste vara en lista som inte är tom</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/catalogue.py" line="217" />
        <source>“{value}” is used by two services; each must be unique</source>
        <translation>”{value}” används av två tjänster; vart och ett måste vara unikt</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/catalogue.py" line="227" />
        <source>unknown key; expected one of: {keys}</source>
        <translation>okänd nyckel; här väntas en av: {keys}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/catalogue.py" line="234" />
        <source>each service must be a mapping</source>
        <translation>varje tjänst måste vara en mappning</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/catalogue.py" line="248" />
        <source>an unverified service must say why (“verification”)</source>
        <translation>en tjänst som inte är kontrollerad måste säga varför (”verification”)</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/catalogue.py" line="250" />
        <source>a WFS or OGC API service needs its typename or collection</source>
        <translation>en WFS- eller OGC API-tjänst behöver sitt typnamn eller sin samling</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/catalogue.py" line="255" />
        <source>“{value}” cannot be a table name: lower-case letters, digits and _ only</source>
        <translation>”{value}” kan inte vara ett tabellnamn: bara gemena bokstäver, siffror och _</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/catalogue.py" line="272" />
        <source>expected a text</source>
        <translation>här väntas en text</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/catalogue.py" line="275" />
        <source>expected a text on one line</source>
        <translation>här väntas en text på en rad</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/catalogue.py" line="277" />
        <source>expected an address starting with https:// or http://</source>
        <translation>här väntas en adress som börjar med https:// eller http://</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/catalogue.py" line="281" />
        <source>expected true or false</source>
        <translation>här väntas true eller false</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/catalogue.py" line="286" />
        <source>expected a date (YYYY-MM-DD)</source>
        <translation>här väntas ett datum (ÅÅÅÅ-MM-DD)</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/catalogue.py" line="290" />
        <source>expected one of: {values}</source>
        <translation>här väntas en av: {values}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/catalogue.py" line="294" />
        <source>expected a list of profile rule ids</source>
        <translation>här väntas en lista med id för profilens regler</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/catalogue.py" line="356" />
        <source>service {service}: the profile has no rule “{rule}”</source>
        <translation>tjänsten {service}: profilen har ingen regel ”{rule}”</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/catalogue.py" line="363" />
        <source>service {service}: its layer “{layer}” is picked up by {picked}, not by {listed}</source>
        <translation>tjänsten {service}: dess lager ”{layer}” fångas av {picked}, inte av {listed}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/finding_table.py" line="27" />
        <source>Distance / overlap</source>
        <translation>Avstånd / överlapp</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/finding_table.py" line="61" />
        <source>The element overlaps an area with strong protection (Natura 2000, national park, nature reserve, water protection area, total defence area that must be kept free of obstacles). A permit or exemption is needed; move or reshape the element if you can.</source>
        <translation>Elementet överlappar ett område med starkt skydd (Natura 2000, nationalpark, naturreservat, vattenskyddsområde, totalförsvarets område med behov av hinderfrihet). Tillstånd eller dispens krävs; flytta eller forma om elementet om det går.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/finding_table.py" line="66" />
        <source>The element overlaps a riksintresse (MB 3 and 4 kap). It must not damage the interest significantly: describe how it is taken care of and agree it with the länsstyrelse.</source>
        <translation>Elementet överlappar ett riksintresse (MB 3 och 4 kap). Det får inte skada intresset påtagligt: beskriv hur det tas om hand och stäm av med länsstyrelsen.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/finding_table.py" line="70" />
        <source>The element lies within a distance or zone of influence, or in a flood or landslide zone. Weigh it and say how the risk or the interest is handled.</source>
        <translation>Elementet ligger inom ett avstånd eller en påverkanszon, eller i ett område med risk för översvämning eller skred. Väg in det och beskriv hur risken eller intresset hanteras.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/finding_table.py" line="74" />
        <source>Could not be checked: the layer failed to load, is withheld or gave an incomplete answer. This is not “no conflict”: get the data or ask the agency.</source>
        <translation>Kunde inte kontrolleras: lagret gick inte att läsa in, är sekretessbelagt eller gav ett ofullständigt svar. Det betyder inte ”ingen konflikt”: skaffa underlaget eller fråga myndigheten.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/finding_table.py" line="95" />
        <source>{share} of the element</source>
        <translation>{share} av elementet</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/finding_table.py" line="95" />
        <source>{share} of the interest's area</source>
        <translation>{share} av intressets yta</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="22" />
        <source>Check against national interests – basis for consultation</source>
        <translation>Avstämning mot statliga intressen – underlag för remiss</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="24" />
        <source>To {recipient}</source>
        <translation>Till {recipient}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="26" />
        <source>This report shows where the elements of the regional development strategy (nodes, corridors and areas) touch interests that national agencies are responsible for, in the data that was checked. Each finding has a class: A overlap with strong protection, B overlap with a riksintresse, C within a distance or zone of influence, D could not be checked. Class D and the list of interests not checked never mean that there is no conflict: there the agency's own assessment is needed. The maps show the element, the affected part and the agency's feature; the tables give the legal basis, the measure, the recommendation and the region's position.</source>
        <translation>Rapporten visar var elementen i den regionala utvecklingsstrategin (noder, stråk och områden) berör intressen som statliga myndigheter ansvarar för, i de underlag som kontrollerats. Varje iakttagelse har en klass: A överlapp med starkt skydd, B överlapp med riksintresse, C inom avstånd eller påverkansområde, D kunde inte kontrolleras. Klass D och listan över intressen som inte kontrollerats betyder aldrig att konflikt saknas: där behövs myndighetens egen bedömning. Kartorna visar elementet, den berörda delen och myndighetens objekt; tabellerna anger lagrum, mått, rekommendation och regionens ställningstagande.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="36" />
        <source>How to read this report</source>
        <translation>Så läser du rapporten</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="37" />
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="38" />
        <source>RUS version</source>
        <translation>RUS-version</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/consultation_report.py" line="130" />
        <source>Contact</source>
        <translation>Kontakt</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="48" />
        <source>Municipalities</source>
        <translation>Kommuner</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="50" />
        <source>Findings per element</source>
        <translation>Iakttagelser per element</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="66" />
        <source>Dataset</source>
        <translation>Datamängd</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="68" />
        <source>Licence</source>
        <translation>Licens</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="69" />
        <source>Retrieved from</source>
        <translation>Hämtad från</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="70" />
        <source>not stated in the data</source>
        <translation>anges inte i underlaget</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="221" />
        <source>file {name}</source>
        <translation>fil {name}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="72" />
        <source>The region (RUS elements)</source>
        <translation>Regionen (RUS-element)</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="79" />
        <source>Interests not checked</source>
        <translation>Intressen som inte kontrollerats</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="80" />
        <source>The interests below could not be checked against the elements. Not checked never means no conflict: the agency is asked to assess them.</source>
        <translation>Intressena nedan kunde inte kontrolleras mot elementen. Inte kontrollerat betyder aldrig att konflikt saknas: myndigheten ombeds bedöma dem.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="84" />
        <source>Every interest of the planning profile was checked in this run.</source>
        <translation>Varje intresse i planeringsprofilen kontrollerades i denna körning.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="85" />
        <source>Reason</source>
        <translation>Skäl</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="86" />
        <source>Applies to</source>
        <translation>Gäller</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="87" />
        <source>no agency layer for it in this run</source>
        <translation>inget myndighetsunderlag för det i denna körning</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="88" />
        <source>all {total} elements</source>
        <translation>alla {total} element</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="89" />
        <source>{count} of {total} elements: {names}</source>
        <translation>{count} av {total} element: {names}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="90" />
        <source>the whole run</source>
        <translation>hela körningen</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="91" />
        <source>Elements without findings in the checked data</source>
        <translation>Element utan iakttagelser i kontrollerade underlag</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="92" />
        <source>These elements neither overlap nor lie near any interest in the data that was checked. The interests not checked are listed on the first page.</source>
        <translation>Dessa element varken överlappar eller ligger nära något intresse i de underlag som kontrollerats. Intressen som inte kontrollerats listas i början av rapporten.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="109" />
        <source>Municipal borders</source>
        <translation>Kommungränser</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="110" />
        <source>Urban areas (tätorter)</source>
        <translation>Tätorter</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="111" />
        <source>County border</source>
        <translation>Länsgräns</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="112" />
        <source>Background map</source>
        <translation>Bakgrundskarta</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="123" />
        <source>Map of {name}: the element in dark blue, the affected parts in the colour of their class, the agency's features outlined and named, municipal borders and urban areas for orientation.</source>
        <translation>Karta över {name}: elementet i mörkblått, de berörda delarna i sin klass färg, myndighetens objekt med kontur och namn, kommungränser och tätorter för orientering.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="127" />
        <source>Overview map of every element of the report, with municipal borders.</source>
        <translation>Översiktskarta över rapportens alla element, med kommungränser.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/vocabulary.py" line="93" />
        <source>{value} overlap</source>
        <translation>{value} överlapp</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/vocabulary.py" line="95" />
        <source>{value} away</source>
        <translation>på {value} avstånd</translation>
    </message>
    <message>
        <location filename="../rus_planner/plugin.py" line="85" />
        <source>Fetch agency data…</source>
        <translation>Hämta myndighetsunderlag…</translation>
    </message>
    <message>
        <location filename="../rus_planner/plugin.py" line="85" />
        <source>Fetch the agencies' layers for your county into a GeoPackage and the Myndighetsunderlag group</source>
        <translation>Hämta myndigheternas lager för ditt län till en GeoPackage-fil och gruppen Myndighetsunderlag</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/agency_view.py" line="57" />
        <source>Agency view across regions</source>
        <translation>Myndighetsvy över regionerna</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/agency_view.py" line="83" />
        <source>Regions' shared GeoPackages</source>
        <translation>Regionernas delade GeoPackage-filer</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/agency_view.py" line="97" />
        <source>CRS of the view</source>
        <translation>Vyns koordinatsystem</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/agency_view.py" line="98" />
        <source>Agency view</source>
        <translation>Myndighetsvy</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/agency_view.py" line="127" />
        <source>Agencies</source>
        <translation>Myndigheter</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/agency_view.py" line="137" />
        <source>Choose at least one shared GeoPackage.</source>
        <translation>Välj minst en delad GeoPackage.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/agency_view.py" line="157" />
        <source>The package “{path}” holds no findings table; region {region} has no findings here.</source>
        <translation>Paketet ”{path}” innehåller ingen tabell med iakttagelser; regionen {region} har inga iakttagelser här.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/agency_view.py" line="179" />
        <source>{agency} ({table}): {n} findings from {regions} regions – {a} A, {b} B, {c} C, {d} D.</source>
        <translation>{agency} ({table}): {n} iakttagelser från {regions} regioner – {a} A, {b} B, {c} C, {d} D.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/check_agency_services.py" line="54" />
        <source>Check the agency services</source>
        <translation>Kontrollera tjänsterna</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/check_agency_services.py" line="57" />
        <source>Asks every service in RUS Planner's catalogue for one feature and lists how it answered: OK (with the number of features it reports), an exception report (also one sent with HTTP 200), an HTTP status, a time-out, a broken answer, or why the service is not fetched (no verified address, or a download made by hand).</source>
        <translation>Ber varje tjänst i RUS Planners katalog om ett objekt och listar hur den svarade: OK (med det antal objekt den anger), en felrapport (även en som skickas med HTTP 200), en HTTP-status, en tidsgräns som överskreds, ett trasigt svar, eller varför tjänsten inte hämtas (ingen kontrollerad adress, eller en nedladdning som görs för hand).</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/fetch_agency_data.py" line="109" />
        <source>Catalogue of services (YAML; empty: the one shipped)</source>
        <translation>Katalog över tjänster (YAML; tom: den som följer med)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/fetch_agency_data.py" line="109" />
        <source>Catalogues (*.yaml *.yml)</source>
        <translation>Kataloger (*.yaml *.yml)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/fetch_agency_data.py" line="130" />
        <source>Time-out per request (s)</source>
        <translation>Tidsgräns per anrop (s)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/check_agency_services.py" line="82" />
        <source>Service check</source>
        <translation>Kontroll av tjänsterna</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/check_agency_services.py" line="87" />
        <source>Service check (text)</source>
        <translation>Kontroll av tjänsterna (text)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/check_agency_services.py" line="130" />
        <source>a row of the service check could not be written</source>
        <translation>en rad i kontrollen av tjänsterna gick inte att skriva</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/check_elements.py" line="65" />
        <source>Where the check runs: when the elements and all agency layers are tables of one PostGIS database, the database finds and measures the pairs with its spatial indexes (automatic); the findings are the same as from the check in QGIS.</source>
        <translation>Var kontrollen körs: när elementen och alla myndighetslager är tabeller i samma PostGIS-databas hittar och mäter databasen paren med sina rumsliga index (automatiskt); iakttagelserna blir desamma som när kontrollen körs i QGIS.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/check_elements.py" line="121" />
        <source>Where the check runs</source>
        <translation>Var kontrollen körs</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/check_elements.py" line="121" />
        <source>Automatic (in the PostGIS database when all layers are in one)</source>
        <translation>Automatiskt (i PostGIS-databasen när alla lager ligger i samma)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/check_elements.py" line="121" />
        <source>In the PostGIS database</source>
        <translation>I PostGIS-databasen</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/check_elements.py" line="121" />
        <source>In QGIS</source>
        <translation>I QGIS</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/consultation_report.py" line="60" />
        <source>Makes the documents for a consultation (samråd, remiss) from the findings of the element check: one PDF per receiving agency (only its interests), one per kommun (every interest touching the kommun's part of the elements, when a kommun layer is given) and one overall PDF, and the overall report as one self-contained, accessible HTML file.

Each document opens with the region, the RUS version, the date, a contact, how to read it, the findings per class, and the interests that were not checked, with the reason (class D, withheld interests, rules without a layer in the run). Each element with findings gets a map (the element, the affected parts, the agency's features by name, kommun borders and tätort names) and a table of its findings: class, interest, legal basis, measures, recommendation and the planner's position and status (from the findings or the project's reviews). The elements without findings share one table; each data source is listed once, with its agency, date and licence, never with a local path or a password.

The report is written in Swedish or English, whatever language QGIS runs in. Give the agency layers of the run and the profile the check was run with; without one the profile stored in the project, else the default profile, is named.</source>
        <translation>Skapar underlagen för en remiss (samråd) av elementkontrollens iakttagelser: en PDF per mottagande myndighet (bara dess intressen), en per kommun (varje intresse som berör kommunens del av elementen, när ett kommunlager anges) och en samlad PDF, samt den samlade rapporten som en fristående, tillgänglig HTML-fil.

Varje dokument inleds med region, RUS-version, datum, kontakt, hur rapporten läses, iakttagelserna per klass och de intressen som inte kontrollerats, med skälet (klass D, sekretessbelagda intressen, regler utan lager i körningen). Varje element med iakttagelser får en karta (elementet, de berörda delarna, myndighetens objekt med namn, kommungränser och tätortsnamn) och en tabell över sina iakttagelser: klass, intresse, lagrum, mått, rekommendation samt planerarens ställningstagande och status (från iakttagelserna eller projektets granskningar). Elementen utan iakttagelser samlas i en tabell; varje datakälla anges en gång, med myndighet, datum och licens, aldrig med en lokal sökväg eller ett lösenord.

Rapporten skrivs på svenska eller engelska, oavsett vilket språk QGIS körs på. Ange körningens myndighetslager och profilen som kontrollen kördes med; utan den anges profilen som sparats i projektet, annars standardprofilen.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/consultation_report.py" line="106" />
        <source>Kommuner (one report per kommun, borders and names on the maps)</source>
        <translation>Kommuner (en rapport per kommun, gränser och namn på kartorna)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/consultation_report.py" line="114" />
        <source>Kommun name field</source>
        <translation>Fält med kommunens namn</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/consultation_report.py" line="122" />
        <source>Urban areas (tätorter, names on the maps)</source>
        <translation>Tätorter (namn på kartorna)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/consultation_report.py" line="130" />
        <source>Region (e.g. Örebro län)</source>
        <translation>Region (t.ex. Örebro län)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/consultation_report.py" line="130" />
        <source>RUS version or draft</source>
        <translation>RUS-version eller utkast</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/consultation_report.py" line="130" />
        <source>Background map (WMS/XYZ source or raster file; else the setting rus_planner/report/basemap)</source>
        <translation>Bakgrundskarta (WMS/XYZ-källa eller rasterfil; annars inställningen rus_planner/report/basemap)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/consultation_report.py" line="147" />
        <source>Reports per kommun (PDF files)</source>
        <translation>Rapporter per kommun (PDF-filer)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/report_run.py" line="107" />
        <source>The kommun layer “{layer}” has no name field: choose the field that names them.</source>
        <translation>Kommunlagret ”{layer}” har inget namnfält: välj fältet som namnger kommunerna.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/report_run.py" line="130" />
        <source>Reviews from the project: {n} findings.</source>
        <translation>Granskningar från projektet: {n} iakttagelser.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/report_run.py" line="181" />
        <source>The background map “{source}” could not be opened; the maps are drawn without it.</source>
        <translation>Bakgrundskartan ”{source}” kunde inte öppnas; kartorna ritas utan den.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/fetch_agency_data.py" line="75" />
        <source>Fetch agency data</source>
        <translation>Hämta myndighetsunderlag</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/fetch_agency_data.py" line="78" />
        <source>Fetches the national agencies' data for a county (or an extent) from the services in RUS Planner's catalogue into one GeoPackage, one table per service, named so that the default profile's rules pick it up. WFS 2.0 and OGC API Features are read page by page; a service that fails, or delivers fewer features than it says match, keeps its earlier complete copy (with its date) or leaves an empty table marked as failed, which the element check reports as class D with the service's reason. The table rus_agency_fetch records each layer's source, retrieval time, count and licence.</source>
        <translation>Hämtar de nationella myndigheternas underlag för ett län (eller en utbredning) från tjänsterna i RUS Planners katalog till en GeoPackage-fil, en tabell per tjänst, med namn som standardprofilens regler känner igen. WFS 2.0 och OGC API Features läses sida för sida; en tjänst som misslyckas, eller levererar färre objekt än den säger matchar, behåller sin tidigare fullständiga kopia (med dess datum) eller lämnar en tom tabell markerad som misslyckad, som elementkontrollen redovisar som klass D med tjänstens skäl. Tabellen rus_agency_fetch anger för varje lager källa, hämtningstid, antal och licens.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/fetch_agency_data.py" line="91" />
        <source>County (län)</source>
        <translation>Län</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/fetch_agency_data.py" line="91" />
        <source>(the extent below)</source>
        <translation>(utbredningen nedan)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/fetch_agency_data.py" line="99" />
        <source>Extent</source>
        <translation>Utbredning</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/fetch_agency_data.py" line="100" />
        <source>Themes (none chosen: all)</source>
        <translation>Teman (inget valt: alla)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/fetch_agency_data.py" line="119" />
        <source>Features per request</source>
        <translation>Objekt per anrop</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/fetch_agency_data.py" line="141" />
        <source>Retries</source>
        <translation>Nya försök</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/fetch_agency_data.py" line="148" />
        <source>Agency GeoPackage</source>
        <translation>GeoPackage med myndighetsunderlag</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/fetch_agency_data.py" line="153" />
        <source>Layers fetched completely</source>
        <translation>Lager som hämtades fullständigt</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/fetch_agency_data.py" line="154" />
        <source>Layers not fetched</source>
        <translation>Lager som inte hämtades</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/fetch_agency_data.py" line="155" />
        <source>State of each layer</source>
        <translation>Läget för varje lager</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/fetch_agency_data.py" line="175" />
        <source>Fetching {service} ({agency}: {theme})</source>
        <translation>Hämtar {service} ({agency}: {theme})</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/fetch_agency_data.py" line="195" />
        <source>{layer}: {n} features, complete</source>
        <translation>{layer}: {n} objekt, fullständigt</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/fetch_agency_data.py" line="216" />
        <source>none of the chosen themes is in the catalogue</source>
        <translation>inget av de valda temana finns i katalogen</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/fetch_agency_data.py" line="223" />
        <source>Region: {name} (län {code})</source>
        <translation>Område: {name} (län {code})</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/fetch_agency_data.py" line="230" />
        <source>Choose a county (LAN) or give an extent: the agencies' national layers are fetched for a region.</source>
        <translation>Välj ett län (LAN) eller ange en utbredning: myndigheternas nationella lager hämtas för ett område.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/fetch_agency_data.py" line="240" />
        <source>{rule} ({agency}): {reason}</source>
        <translation>{rule} ({agency}): {reason}</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="112" />
        <source>Atlas language</source>
        <translation>Atlasens språk</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="113" />
        <source>Layout template (.qpt; the shipped one when empty)</source>
        <translation>Layoutmall (.qpt; den medföljande om tomt)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/overlay_atlas.py" line="113" />
        <source>Print layout templates (*.qpt)</source>
        <translation>Mallar för utskriftslayouter (*.qpt)</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_check.py" line="50" />
        <source>answers; it reports {n} features</source>
        <translation>svarar; den anger {n} objekt</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_check.py" line="50" />
        <source>answers; it reports no total</source>
        <translation>svarar; den anger inget totalt antal</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_fetch.py" line="105" />
        <source>a page said it holds {said} features, but {read} could be read</source>
        <translation>en sida sade sig innehålla {said} objekt, men {read} gick att läsa</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_fetch.py" line="113" />
        <source>{service}: {n} features</source>
        <translation>{service}: {n} objekt</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_fetch.py" line="166" />
        <source>a page of the service's answer could not be read</source>
        <translation>en sida av tjänstens svar gick inte att läsa</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_fetch.py" line="180" />
        <source>a feature could not be written to the GeoPackage</source>
        <translation>ett objekt gick inte att skriva till GeoPackage-filen</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_http.py" line="110" />
        <source>The service did not answer well; trying again ({n} of {total}).</source>
        <translation>Tjänsten svarade inte som den skulle; försöker igen ({n} av {total}).</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_http.py" line="122" />
        <source>the service did not answer within {seconds} s</source>
        <translation>tjänsten svarade inte inom {seconds} s</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_http.py" line="245" />
        <source>the service's next link leads back to a page already read</source>
        <translation>tjänstens länk till nästa sida leder tillbaka till en sida som redan är läst</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_http.py" line="275" />
        <source>the service sent the same features again for the next page (it does not page as asked)</source>
        <translation>tjänsten skickade samma objekt igen för nästa sida (den delar inte upp svaret som den ombads)</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_store.py" line="107" />
        <source>{path} exists and was not written by “Fetch agency data”; it is left as it is. Choose a new file or one this algorithm wrote.</source>
        <translation>{path} finns redan och skrevs inte av ”Hämta myndighetsunderlag”; den lämnas som den är. Välj en ny fil eller en som den här algoritmen har skrivit.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_store.py" line="170" />
        <source>the fetch failed ({reason}); the copy retrieved {date} was kept</source>
        <translation>hämtningen misslyckades ({reason}); kopian som hämtades {date} behölls</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_store.py" line="184" />
        <source>{service}: not fetched, its rules are not checked: {reason}</source>
        <translation>{service}: inte hämtad, dess regler kontrolleras inte: {reason}</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_store.py" line="201" />
        <source>the fetched layer {table} could not be copied into the GeoPackage</source>
        <translation>det hämtade lagret {table} gick inte att kopiera in i GeoPackage-filen</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_store.py" line="263" />
        <source>the agency service could not be fetched: {reason}</source>
        <translation>myndighetens tjänst gick inte att hämta: {reason}</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_view.py" line="85" />
        <source>“{path}” is not a GeoPackage that can be opened.</source>
        <translation>”{path}” är ingen GeoPackage som går att öppna.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_view.py" line="88" />
        <source>“{path}” is not a package from Share as GeoPackage: it has no table {table}.</source>
        <translation>”{path}” är inget paket från Dela som GeoPackage: det saknar tabellen {table}.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_view.py" line="149" />
        <source>agency not stated</source>
        <translation>myndighet inte angiven</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_view.py" line="234" />
        <source>“{path}” could not be written.</source>
        <translation>”{path}” kunde inte skrivas.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/atlas_layout.py" line="39" />
        <source>The layout template “{path}” could not be read ({reason}).</source>
        <translation>Layoutmallen ”{path}” kunde inte läsas ({reason}).</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/atlas_layout.py" line="50" />
        <source>“{path}” is not a QGIS print layout template (.qpt): save one from the layout designer.</source>
        <translation>”{path}” är ingen mall för en QGIS-utskriftslayout (.qpt): spara en från layouthanteraren.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/atlas_layout.py" line="67" />
        <source>The layout template “{path}” has no map item with the id “map”: give the atlas map that id.</source>
        <translation>Layoutmallen ”{path}” har inget kartobjekt med id ”map”: ge atlasens karta det id:t.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_postgis.py" line="84" />
        <source>elements drawn at a small scale have a tolerance, which only the check in QGIS applies</source>
        <translation>element ritade i liten skala har en tolerans, som bara kontrollen i QGIS tillämpar</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_postgis.py" line="88" />
        <source>psycopg2, the PostgreSQL driver QGIS's DB Manager uses, is not installed</source>
        <translation>psycopg2, den PostgreSQL-drivrutin som QGIS DB Manager använder, är inte installerad</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_postgis.py" line="91" />
        <source>the target CRS has no PostGIS SRID</source>
        <translation>målkoordinatsystemet har inget PostGIS-SRID</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_postgis.py" line="94" />
        <source>there is no agency layer to check in the database</source>
        <translation>det finns inget myndighetslager att kontrollera i databasen</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_postgis.py" line="99" />
        <source>“{layer}” {reason}</source>
        <translation>”{layer}” {reason}</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_postgis.py" line="103" />
        <source>the layers are not all in one database</source>
        <translation>lagren ligger inte alla i samma databas</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_postgis.py" line="116" />
        <source>the database could not be asked ({reason})</source>
        <translation>databasen kunde inte tillfrågas ({reason})</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_postgis.py" line="124" />
        <source>is not a PostGIS table</source>
        <translation>är inte en PostGIS-tabell</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_postgis.py" line="126" />
        <source>has unsaved edits</source>
        <translation>har osparade ändringar</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_postgis.py" line="129" />
        <source>has a filter of its own (a subset)</source>
        <translation>har ett eget filter (en delmängd)</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_postgis.py" line="131" />
        <source>is a query, not a table</source>
        <translation>är en fråga, inte en tabell</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_postgis.py" line="140" />
        <source>has no single integer key column</source>
        <translation>har ingen enkel nyckelkolumn med heltal</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_postgis.py" line="144" />
        <source>has no single kind of straight geometry (points, lines or polygons)</source>
        <translation>har inte en enda sorts raka geometrier (punkter, linjer eller polygoner)</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_postgis.py" line="147" />
        <source>has no geometry column with a known SRID</source>
        <translation>har ingen geometrikolumn med känt SRID</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_postgis.py" line="155" />
        <source>PostgreSQL 12 or newer is needed</source>
        <translation>PostgreSQL 12 eller nyare behövs</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_postgis.py" line="161" />
        <source>PostGIS 3.2 or newer on GEOS 3.10 or newer is needed</source>
        <translation>PostGIS 3.2 eller nyare med GEOS 3.10 eller nyare behövs</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_postgis.py" line="167" />
        <source>the key column “{key}” of {table} is not unique (no primary key or unique index)</source>
        <translation>nyckelkolumnen ”{key}” i {table} är inte unik (ingen primärnyckel eller unikt index)</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_run.py" line="168" />
        <source>The check cannot run in the database: {reason}.</source>
        <translation>Kontrollen kan inte köras i databasen: {reason}.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_run.py" line="170" />
        <source>The check runs here, not in the database: {reason}.</source>
        <translation>Kontrollen körs här, inte i databasen: {reason}.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_run.py" line="174" />
        <source>The check runs in the PostGIS database {database}.</source>
        <translation>Kontrollen körs i PostGIS-databasen {database}.</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/agency_fetch_action.py" line="54" />
        <source>{theme} (not fetched)</source>
        <translation>{theme} (inte hämtad)</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/agency_fetch_action.py" line="56" />
        <source>{theme} (retrieved {date})</source>
        <translation>{theme} (hämtad {date})</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/findings_tab.py" line="103" />
        <source>No finding matches the chosen class, agency or element.</source>
        <translation>Ingen iakttagelse passar vald klass, myndighet eller element.</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/findings_tab.py" line="105" />
        <source>The last run found no element near an interest of the agency layers checked.</source>
        <translation>Den senaste körningen hittade inget element nära något intresse i de kontrollerade myndighetslagren.</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/findings_tab.py" line="106" />
        <source>No findings yet. Choose element layers and press {run} on the Check tab.</source>
        <translation>Inga iakttagelser ännu. Välj elementlager och tryck {run} på fliken Kontroll.</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/new_project.py" line="31" />
        <source>Which län is the strategy for? The map opens there.</source>
        <translation>Vilket län gäller strategin? Kartan öppnas där.</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/panel.py" line="172" />
        <source>Choose element layers and press {run}.</source>
        <translation>Välj elementlager och tryck {run}.</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/share_action.py" line="60" />
        <source>Save the project before sharing it.</source>
        <translation>Spara projektet innan du delar det.</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/share_action.py" line="61" />
        <source>The shared GeoPackage is written beside the project file and named after it, and the project inside it finds its layers from there. This project has not been saved yet.</source>
        <translation>GeoPackage-filen som delas skrivs bredvid projektfilen och får dess namn, och projektet i den hittar sina lager därifrån. Det här projektet har inte sparats ännu.</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/share_action.py" line="67" />
        <source>Save project…</source>
        <translation>Spara projektet…</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/share_action.py" line="73" />
        <source>Save project</source>
        <translation>Spara projektet</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/share_action.py" line="73" />
        <source>QGIS project (*.qgz)</source>
        <translation>QGIS-projekt (*.qgz)</translation>
    </message>
    <message>
        <location filename="../rus_planner/ui/share_action.py" line="82" />
        <source>The project could not be saved: {error}</source>
        <translation>Projektet kunde inte sparas: {error}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/report_texts.py" line="74" />
        <source>Positions recorded on findings this check no longer gives: the element or the agency data changed. They are kept as the record of the dialogue.</source>
        <translation>Ställningstaganden till iakttagelser som den här kontrollen inte längre ger: elementet eller myndighetens underlag har ändrats. De sparas som dokumentation av dialogen.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_store.py" line="245" />
        <source>Kept copy: data retrieved {date}; the last refresh failed ({reason}).</source>
        <translation>Sparad kopia: underlag hämtat {date}; den senaste uppdateringen misslyckades ({reason}).</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_store.py" line="245" />
        <source>at an unknown date</source>
        <translation>okänt datum</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_store.py" line="245" />
        <source>no reason given</source>
        <translation>ingen orsak angiven</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/check_read.py" line="142" />
        <source>The agency layer “{layer}”: {caveat}</source>
        <translation>Myndighetslagret ”{layer}”: {caveat}</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/grid_overlay.py" line="189" />
        <source>{n} tiles of {cells} × {cells} cells</source>
        <translation>{n} block om {cells} × {cells} rutor</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/agency_view.py" line="101" />
        <source>Also load into PostGIS (a PostgreSQL connection)</source>
        <translation>Läs även in i PostGIS (en PostgreSQL-anslutning)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/agency_view.py" line="109" />
        <source>Schema in the database</source>
        <translation>Schema i databasen</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/agency_view.py" line="171" />
        <source>Loaded {n} findings into the schema “{schema}” of the connection “{name}”.</source>
        <translation>Läste in {n} iakttagelser i schemat ”{schema}” i anslutningen ”{name}”.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_view_postgis.py" line="55" />
        <source>Loading into PostGIS needs psycopg2 (python3-psycopg2), which this QGIS lacks.</source>
        <translation>Inläsning i PostGIS kräver psycopg2 (python3-psycopg2), som saknas i denna QGIS.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_view_postgis.py" line="64" />
        <source>There is no PostgreSQL connection named “{name}” in QGIS.</source>
        <translation>Det finns ingen PostgreSQL-anslutning med namnet ”{name}” i QGIS.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_view_postgis.py" line="71" />
        <source>The connection “{name}” could not be opened ({reason}).</source>
        <translation>Anslutningen ”{name}” kunde inte öppnas ({reason}).</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_view_postgis.py" line="102" />
        <source>The schema “{schema}” already holds tables that RUS Planner did not write ({tables}); nothing was changed in the database. Choose another schema.</source>
        <translation>Schemat ”{schema}” innehåller redan tabeller som RUS Planner inte har skrivit ({tables}); ingenting ändrades i databasen. Välj ett annat schema.</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_view_postgis.py" line="119" />
        <source>The agency view could not be loaded into the database ({reason}); nothing was changed there.</source>
        <translation>Myndighetsvyn kunde inte läsas in i databasen ({reason}); ingenting ändrades där.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/agency_view.py" line="118" />
        <source>Consultation report over every region (folder for PDF and HTML)</source>
        <translation>Samrådsunderlag över alla regioner (mapp för PDF och HTML)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/agency_view.py" line="125" />
        <source>Planning profile the regions were checked with (YAML)</source>
        <translation>Planeringsprofil som regionerna kontrollerades med (YAML)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/agency_view.py" line="226" />
        <source>The report covers the regions {regions}.</source>
        <translation>Underlaget omfattar regionerna {regions}.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/agency_view.py" line="60" />
        <source>Gathers the findings of several regions' GeoPackages (written by Share as GeoPackage) into one GeoPackage with one table per responsible agency, each finding with its region (the name given for its package, else the package's file name) as the first column, and the table agencies with the number of findings per agency, region and class. The packages are only read.

With a PostgreSQL connection, the same tables are also loaded into PostGIS, into the schema given (rus_myndighetsvy unless named), in one transaction: the tables of an earlier agency view there are replaced, a table of the same name that RUS Planner did not write is never touched (the load is then refused, and nothing changes).

With a report folder, the consultation report over every region's findings together is written there as well, the same documents Consultation report writes: one PDF per receiving agency (only its interests), the overall PDF and the HTML file. Each element is named with its region, e.g. “Nora kulturstad (Örebro län)”, and the länsstyrelser of several regions are addressed together (“Till Länsstyrelserna i Örebro län och Uppsala län”). Under Advanced: the planning profile the regions were checked with and the report's language.</source>
        <translation>Samlar iakttagelserna från flera regioners GeoPackage-filer (skrivna av Dela som GeoPackage) i en GeoPackage med en tabell per ansvarig myndighet, där varje iakttagelse har sin region (namnet som angetts för dess paket, annars paketets filnamn) som första kolumn, och tabellen agencies med antalet iakttagelser per myndighet, region och klass. Paketen läses bara.

Med en PostgreSQL-anslutning läses samma tabeller också in i PostGIS, i det angivna schemat (rus_myndighetsvy om inget anges), i en enda transaktion: tabellerna från en tidigare myndighetsvy där ersätts, och en tabell med samma namn som RUS Planner inte har skrivit rörs aldrig (inläsningen avbryts då, och ingenting ändras).

Med en rapportmapp skrivs också samrådsunderlaget över alla regionernas iakttagelser tillsammans dit, samma dokument som Samrådsunderlag (PDF och HTML) skriver: en PDF per mottagande myndighet (bara dess intressen), den samlade PDF:en och HTML-filen. Varje element namnges med sin region, t.ex. ”Nora kulturstad (Örebro län)”, och flera regioners länsstyrelser får underlaget tillsammans (”Till Länsstyrelserna i Örebro län och Uppsala län”). Under Avancerat: planeringsprofilen som regionerna kontrollerades med och rapportens språk.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/agency_view.py" line="90" />
        <source>Region names, in the packages' order, separated by semicolons (empty: the file names)</source>
        <translation>Regionernas namn, i paketens ordning, åtskilda med semikolon (tomt: filnamnen)</translation>
    </message>
    <message>
        <location filename="../rus_planner/qgis_io/agency_view.py" line="62" />
        <source>Give one region name per package, in the packages' order and separated by semicolons (e.g. “Örebro län; Uppsala län”): {packages} packages, {names} names given.</source>
        <translation>Ange ett regionnamn per paket, i paketens ordning och åtskilda med semikolon (t.ex. ”Örebro län; Uppsala län”): {packages} paket, {names} namn angivna.</translation>
    </message>
</context>
<context>
    <name>RusCheckPanel</name>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="33" />
        <source>Check</source>
        <translation>Kontroll</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="39" />
        <source>RUS element layers (nodes, corridors, areas)</source>
        <translation>Lager med RUS-element (noder, stråk, områden)</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="46" />
        <source>Tick the layers that hold the strategy's elements</source>
        <translation>Kryssa i lagren som innehåller strategins element</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="53" />
        <source>Agency layers (riksintressen, protected nature, risks…)</source>
        <translation>Myndighetsunderlag (riksintressen, skyddad natur, risker…)</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="60" />
        <source>Tick the agency layers to check the elements against</source>
        <translation>Kryssa i myndighetslagren som elementen ska kontrolleras mot</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="67" />
        <source>Planning profile</source>
        <translation>Planeringsprofil</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="79" />
        <source>No profile file chosen</source>
        <translation>Ingen profilfil vald</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="86" />
        <source>Choose a profile file (YAML)</source>
        <translation>Välj en profilfil (YAML)</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="89" />
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="101" />
        <source>Target CRS</source>
        <translation>Mål-CRS</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="110" />
        <source>While an element layer is edited, re-check changed and added elements within a second</source>
        <translation>Medan ett elementlager redigeras kontrolleras ändrade och tillagda element igen inom en sekund</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="113" />
        <source>Live mode: re-check elements while editing</source>
        <translation>Direktläge: kontrollera element medan du redigerar</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="122" />
        <source>Run check</source>
        <translation>Kör kontrollen</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="132" />
        <source>Cancel</source>
        <translation>Avbryt</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="159" />
        <source>Findings</source>
        <translation>Iakttagelser</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="183" />
        <source>Show one severity class only</source>
        <translation>Visa endast en konfliktklass</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="190" />
        <source>Show the findings of one agency only</source>
        <translation>Visa endast en myndighets iakttagelser</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="197" />
        <source>Show the findings of one element only</source>
        <translation>Visa endast ett elements iakttagelser</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="225" />
        <source>Review of the selected finding</source>
        <translation>Bedömning av vald iakttagelse</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="240" />
        <source>Position (ställningstagande): how the region weighs this interest</source>
        <translation>Ställningstagande: hur regionen väger detta intresse</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="247" />
        <source>Save review</source>
        <translation>Spara bedömningen</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="259" />
        <source>Write CSV with ; between columns and a decimal comma, as Swedish Excel expects</source>
        <translation>Skriv CSV med ; mellan kolumnerna och decimalkomma, som svenskt Excel förväntar sig</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="262" />
        <source>Swedish decimal comma in CSV</source>
        <translation>Svenskt decimalkomma i CSV</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="269" />
        <source>Export…</source>
        <translation>Exportera…</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="279" />
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="296" />
        <source>Item</source>
        <translation>Post</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="301" />
        <source>Weight / class</source>
        <translation>Vikt / klass</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="306" />
        <source>Relation / buffer</source>
        <translation>Relation / buffertzon</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="314" />
        <source>Profile text (YAML): edit sectors, weights and rules here</source>
        <translation>Profiltext (YAML): redigera sektorer, vikter och regler här</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="343" />
        <source>Validate the text and keep it in the project as the project's profile</source>
        <translation>Validera texten och spara den i projektet som projektets profil</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="346" />
        <source>Save in project</source>
        <translation>Spara i projektet</translation>
    </message>
    <message>
        <location filename="../resources/ui/rus_check_panel.ui" line="353" />
        <source>Save as file…</source>
        <translation>Spara som fil…</translation>
    </message>
</context>
</TS>