package cdna.check;

import cdna.json.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestTest {
    @TempDir
    Path tmp;

    static final String GOOD = """
            {"name": "ok", "profile": "small", "module": "MCCdna.tla", "cfg": "MCCdnaSmall.cfg",
             "design": "cdna-baseline", "expected": {"InterGuestIsolation": "holds"},
             "distinctStates": [1, 10], "timeBudgetSeconds": 60}""";

    private Manifest read(String models) throws IOException, InputException {
        Path f = tmp.resolve("manifest.json");
        Files.writeString(f, "{\"models\": [\n" + models + "\n]}");
        return Manifest.read(f);
    }

    @Test
    void theProjectManifestReadsCleanly() throws InputException {
        Manifest m = Manifest.read(Path.of("model-check/manifest.json"));
        for (Manifest.Entry e : m.entries()) assertNull(e.error(), e.error());
        assertTrue(m.entries().size() >= 20);
    }

    /** A cfg or design nobody runs is a check that can never fail; an expected property the cfg does not declare is never checked. */
    @Test
    void everyCfgAndDesignIsRunAndEveryExpectedPropertyIsInItsCfg() throws Exception {
        Manifest m = Manifest.read(Path.of("model-check/manifest.json"));
        java.util.Set<String> cfgs = new java.util.TreeSet<>();
        java.util.Set<String> designs = new java.util.TreeSet<>();
        for (Manifest.Entry e : m.entries()) {
            Manifest.Model model = e.model();
            cfgs.add(model.cfg());
            designs.add(model.design());
            Cfg cfg = Cfg.read(Path.of("model-check").resolve(model.cfg()));
            for (String property : model.expected().keySet()) {
                assertTrue(cfg.invariants().contains(property) || cfg.properties().contains(property),
                        e.name() + " expects " + property + ", which " + model.cfg() + " does not check");
            }
        }
        try (var files = Files.list(Path.of("model-check"))) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".cfg"))::iterator) {
                assertTrue(cfgs.contains(f.getFileName().toString()), f + " is in no manifest entry");
            }
        }
        try (var files = Files.list(Path.of("model-check/designs"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString().replaceFirst("\\.json$", "");
                assertTrue(designs.contains(name), f + " is in no manifest entry");
            }
        }
    }

    @Test
    void aMalformedEntryIsAnErrorWithItsLineAndTheOthersSurvive() throws Exception {
        Manifest m = read(GOOD + ",\n" + GOOD.replace("\"ok\"", "\"bad\"").replace("\"holds\"", "\"maybe\""));
        assertEquals(2, m.entries().size());
        assertNotNull(m.entries().get(0).model());
        Manifest.Entry bad = m.entries().get(1);
        assertNull(bad.model());
        assertEquals("bad", bad.name());
        assertTrue(bad.error().contains("manifest.json:6:"), bad.error());
        assertTrue(bad.error().contains("\"holds\" or \"violated\""), bad.error());
    }

    @Test
    void eachFieldIsChecked() throws Exception {
        String[][] cases = {
                {"\"profile\": \"small\"", "\"profile\": \"huge\"", "\"profile\""},
                {"\"distinctStates\": [1, 10]", "\"distinctStates\": [10, 1]", "min <= max"},
                {"\"distinctStates\": [1, 10]", "\"distinctStates\": [1]", "[min, max]"},
                {"\"timeBudgetSeconds\": 60", "\"timeBudgetSeconds\": \"soon\"", "integer"},
                {"\"cfg\": \"MCCdnaSmall.cfg\"", "\"cfg\": \"MCCdnaSmall.txt\"", ".cfg"},
                {"\"cfg\": \"MCCdnaSmall.cfg\",", "", "missing required field \"cfg\""},
                {"\"design\"", "\"desing\"", "unknown field"},
        };
        for (String[] c : cases) {
            Manifest m = read(GOOD.replace(c[0], c[1]));
            String err = m.entries().get(0).error();
            assertNotNull(err, c[1]);
            assertTrue(err.contains(c[2]) && err.contains("manifest.json:"), c[1] + " -> " + err);
        }
    }

    @Test
    void unparsableManifestIsOneLocatedError() throws IOException {
        Path f = tmp.resolve("manifest.json");
        Files.writeString(f, "{\"models\": [\n  {\"name\": \"x\",,}\n]}");
        InputException e = assertThrows(InputException.class, () -> Manifest.read(f));
        assertTrue(e.getMessage().contains("manifest.json:2:"), e.getMessage());
    }

    @Test
    void duplicateNamesAreRejected() throws Exception {
        Manifest m = read(GOOD + ",\n" + GOOD);
        assertNull(m.entries().get(1).model());
        assertTrue(m.entries().get(1).error().contains("used twice"));
    }
}
