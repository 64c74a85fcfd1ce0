<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>@default</name>
    <message>
        <location filename="../rus_planner/core/layers.py" line="44" />
        <source>The run was cancelled; nothing was written.</source>
        <translation>Körningen avbröts; inget skrevs.</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/layers.py" line="81" />
        <source>The target CRS is not valid. Choose a projected CRS such as SWEREF 99 TM (EPSG:3006).</source>
        <translation>Mål-CRS är inte giltigt. Välj ett projicerat koordinatsystem, till exempel SWEREF 99 TM (EPSG:3006).</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/layers.py" line="85" />
        <source>The target CRS {crs} is geographic (degrees), so areas and distances in metres cannot be computed. Choose a projected CRS such as SWEREF 99 TM (EPSG:3006).</source>
        <translation>Mål-CRS {crs} är geografiskt (grader), så ytor och avstånd i meter kan inte beräknas. Välj ett projicerat koordinatsystem, till exempel SWEREF 99 TM (EPSG:3006).</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/layers.py" line="97" />
        <source>The layer “{layer}” has no coordinate reference system (CRS), so it cannot be placed on the map. Set its CRS in the layer properties (Swedish national data is usually SWEREF 99 TM, EPSG:3006).</source>
        <translation>Lagret ”{layer}” saknar koordinatsystem (CRS) och kan därför inte placeras på kartan. Ange dess CRS i lageregenskaperna (svenska nationella data är oftast SWEREF 99 TM, EPSG:3006).</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/layers.py" line="123" />
        <source>The layer “{layer}” says its CRS is {crs}, but its coordinates ({xmin:.0f}, {ymin:.0f} – {xmax:.0f}, {ymax:.0f}) cannot be in that CRS. The file probably lacks or misstates its CRS: set the right one in the layer properties (Swedish data is usually SWEREF 99 TM, EPSG:3006).</source>
        <translation>Lagret ”{layer}” anger koordinatsystemet {crs}, men dess koordinater ({xmin:.0f}, {ymin:.0f} – {xmax:.0f}, {ymax:.0f}) kan inte ligga i det. Filen saknar troligen CRS eller anger fel: ställ in rätt CRS i lageregenskaperna (svenska data är oftast SWEREF 99 TM, EPSG:3006).</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/layers.py" line="162" />
        <source>The layer “{layer}” has no geometries (it is a table).</source>
        <translation>Lagret ”{layer}” har inga geometrier (det är en tabell).</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/layers.py" line="268" />
        <source>{layer}: {n} invalid geometries were repaired</source>
        <translation>{layer}: {n} ogiltiga geometrier reparerades</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/layers.py" line="272" />
        <source>{layer}: {n} features without geometry were skipped</source>
        <translation>{layer}: {n} objekt utan geometri hoppades över</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/layers.py" line="278" />
        <source>{layer}: {n} features with empty geometry were skipped</source>
        <translation>{layer}: {n} objekt med tom geometri hoppades över</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/layers.py" line="284" />
        <source>{layer}: {n} geometries could not be repaired and were skipped</source>
        <translation>{layer}: {n} geometrier gick inte att reparera och hoppades över</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/layers.py" line="290" />
        <source>{layer}: {n} curved geometries were converted to straight segments</source>
        <translation>{layer}: {n} kurvgeometrier omvandlades till raka segment</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="155" />
        <source>{file}, line {line}, key “{key}”: {message}</source>
        <translation>{file}, rad {line}, nyckel ”{key}”: {message}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="159" />
        <source>{file}, line {line}: {message}</source>
        <translation>{file}, rad {line}: {message}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="162" />
        <source>{file}: {message}</source>
        <translation>{file}: {message}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="225" />
        <source>nothing (an empty value)</source>
        <translation>inget (ett tomt värde)</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="227" />
        <source>a yes/no value ({value})</source>
        <translation>ett ja/nej-värde ({value})</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="229" />
        <source>the number {value}</source>
        <translation>talet {value}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="232" />
        <source>the text “{value}”</source>
        <translation>texten ”{value}”</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="234" />
        <source>a list</source>
        <translation>en lista</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="345" />
        <source>a mapping (key: value pairs)</source>
        <translation>en mappning (nyckel: värde-par)</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="237" />
        <source>a value of type {kind}</source>
        <translation>ett värde av typen {kind}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="277" />
        <source>text on one line</source>
        <translation>text på en rad</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="283" />
        <source>a non-empty text</source>
        <translation>en text som inte är tom</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="290" />
        <source>a whole number</source>
        <translation>ett heltal</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="286" />
        <source>a number</source>
        <translation>ett tal</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="288" />
        <source>a finite number</source>
        <translation>ett ändligt tal</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="292" />
        <source>must not be negative (found {value})</source>
        <translation>får inte vara negativt (fann {value})</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="299" />
        <source>true or false</source>
        <translation>true eller false</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="304" />
        <source>a layer name pattern, or a list of them</source>
        <translation>ett mönster för lagernamn, eller en lista med sådana</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="308" />
        <source>unknown severity {found}; expected one of A, B, C, D</source>
        <translation>okänd allvarlighetsklass {found}; förväntade en av A, B, C, D</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="316" />
        <source>unknown relation {found}; expected “overlap” or “within_distance”</source>
        <translation>okänd relation {found}; förväntade ”overlap” eller ”within_distance”</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="326" />
        <source>unknown geometry {found}; expected “point”, “line” or “polygon”</source>
        <translation>okänd geometri {found}; förväntade ”point”, ”line” eller ”polygon”</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="336" />
        <source>a list of items (lines starting with “- ”)</source>
        <translation>en lista (rader som börjar med ”- ”)</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="345" />
        <source>expected {expected}, found {found}</source>
        <translation>förväntade {expected}, fann {found}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="356" />
        <source> (did you mean “{key}”?)</source>
        <translation> (menade du ”{key}”?)</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="357" />
        <source>unknown key; expected one of: {keys}{hint}</source>
        <translation>okänd nyckel; förväntade en av: {keys}{hint}</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="370" />
        <source>required key is missing</source>
        <translation>obligatorisk nyckel saknas</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="387" />
        <source>duplicate id “{id}” (first used on line {line})</source>
        <translation>id ”{id}” förekommer två gånger (först på rad {line})</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="404" />
        <source>a sector needs “layer” (a name pattern) or “source” (a data source)</source>
        <translation>en sektor behöver ”layer” (ett namnmönster) eller ”source” (en datakälla)</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="421" />
        <source>a rule needs “layer” (a name pattern) or “source” (a data source)</source>
        <translation>en regel behöver ”layer” (ett namnmönster) eller ”source” (en datakälla)</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="424" />
        <source>a “within_distance” rule needs a distance_m greater than 0</source>
        <translation>en ”within_distance”-regel behöver ett distance_m större än 0</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="493" />
        <source>key given twice (first on line {line})</source>
        <translation>nyckeln anges två gånger (först på rad {line})</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="601" />
        <source>the file is {size:.1f} MB; a profile may be at most {limit:.0f} MB</source>
        <translation>filen är {size:.1f} MB; en profil får vara högst {limit:.0f} MB</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="529" />
        <source>the file is not UTF-8 text (a byte that is not UTF-8 at position {pos}); save it as UTF-8</source>
        <translation>filen är inte UTF-8-text (en byte som inte är UTF-8 på position {pos}); spara den som UTF-8</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="561" />
        <source>the file is empty; a profile needs at least “name” and one sector or rule</source>
        <translation>filen är tom; en profil behöver minst ”name” och en sektor eller regel</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="556" />
        <source>this is not valid YAML ({detail})</source>
        <translation>detta är inte giltig YAML ({detail})</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="558" />
        <source>this YAML could not be read ({detail})</source>
        <translation>denna YAML kunde inte läsas ({detail})</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="566" />
        <source>the YAML is nested too deeply to be a profile</source>
        <translation>YAML-filen är för djupt nästlad för att vara en profil</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="579" />
        <source>the profile has no sectors and no agency rules</source>
        <translation>profilen har inga sektorer och inga myndighetsregler</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/profile.py" line="617" />
        <source>the file could not be read ({reason})</source>
        <translation>filen kunde inte läsas ({reason})</translation>
    </message>
    <message>
        <location filename="../rus_planner/core/sectors.py" line="90" />
        <source>The layer “{layer}” matches no sector in the profile; it is used as a sector of its own (“{id}”, weight 1).</source>
        <translation>Lagret ”{layer}” motsvarar ingen sektor i profilen; det används som en egen sektor (”{id}”, vikt 1).</translation>
    </message>
    <message>
        <location filename="../rus_planner/dependencies.py" line="60" />
        <source>RUS Planner needs the Python packages {names}, which this QGIS cannot use. Install them into the Python that QGIS runs, then restart QGIS. Windows (OSGeo4W Shell): python -m pip install {specs} — Linux and macOS: python3 -m pip install --user {specs}</source>
        <translation>RUS Planner behöver Python-paketen {names}, som denna QGIS inte kan använda. Installera dem i den Python som QGIS kör och starta sedan om QGIS. Windows (OSGeo4W Shell): python -m pip install {specs} — Linux och macOS: python3 -m pip install --user {specs}</translation>
    </message>
    <message>
        <location filename="../rus_planner/plugin.py" line="25" />
        <source>&amp;RUS Planner</source>
        <translation>&amp;RUS Planner</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/provider.py" line="26" />
        <source>RUS Planner</source>
        <translation>RUS Planner</translation>
    </message>
    <message>
        <location filename="../rus_planner/plugin.py" line="42" />
        <source>Validate planning profile…</source>
        <translation>Validera planeringsprofil…</translation>
    </message>
    <message>
        <location filename="../rus_planner/plugin.py" line="42" />
        <source>Check a planning profile (YAML) and list every problem</source>
        <translation>Kontrollera en planeringsprofil (YAML) och lista alla fel</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="32" />
        <source>Validate planning profile</source>
        <translation>Validera planeringsprofil</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="35" />
        <source>Checks a RUS Planner planning profile (YAML): its sectors, agency rules and element types. Every problem is listed with the file, line and key and what was expected. Without a file, the default Swedish profile shipped with the plugin is checked.</source>
        <translation>Kontrollerar en planeringsprofil (YAML) för RUS Planner: dess sektorer, myndighetsregler och elementtyper. Varje fel listas med fil, rad och nyckel och vad som förväntades. Utan fil kontrolleras den svenska standardprofilen som följer med pluginet.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="42" />
        <source>Planning profile (YAML)</source>
        <translation>Planeringsprofil (YAML)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="42" />
        <source>Planning profiles (*.yaml *.yml)</source>
        <translation>Planeringsprofiler (*.yaml *.yml)</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="51" />
        <source>Profile is valid</source>
        <translation>Profilen är giltig</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="52" />
        <source>Number of problems</source>
        <translation>Antal fel</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="53" />
        <source>Problems</source>
        <translation>Fel</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="54" />
        <source>Sectors</source>
        <translation>Sektorer</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="55" />
        <source>Agency rules</source>
        <translation>Myndighetsregler</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="56" />
        <source>Element types</source>
        <translation>Elementtyper</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="62" />
        <source>Checking the profile {path}</source>
        <translation>Kontrollerar profilen {path}</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="68" />
        <source>The profile has {n} problem(s) and cannot be used.</source>
        <translation>Profilen har {n} fel och kan inte användas.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/algorithms/validate_profile.py" line="79" />
        <source>The profile “{name}” is valid: {sectors} sectors, {rules} agency rules, {types} element types.</source>
        <translation>Profilen ”{name}” är giltig: {sectors} sektorer, {rules} myndighetsregler, {types} elementtyper.</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/base.py" line="58" />
        <source>Planning profile</source>
        <translation>Planeringsprofil</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/base.py" line="59" />
        <source>Sector overlay</source>
        <translation>Sektorsöverlagring</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/base.py" line="60" />
        <source>Element check</source>
        <translation>Elementkontroll</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/base.py" line="61" />
        <source>Summaries and reports</source>
        <translation>Sammanställningar och rapporter</translation>
    </message>
    <message>
        <location filename="../rus_planner/processing/provider.py" line="29" />
        <source>RUS Planner {version}</source>
        <translation>RUS Planner {version}</translation>
    </message>
</context>
</TS>