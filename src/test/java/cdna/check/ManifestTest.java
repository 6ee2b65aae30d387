package cdna.check;

import cdna.design.Design;
import cdna.design.DesignFiles;
import cdna.design.Switch;
import cdna.json.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestTest {
    @TempDir
    Path tmp;

    static final String GOOD = """
            {"name": "ok", "profile": "small", "module": "MCCdna.tla", "cfg": "MCCdnaSmall.cfg",
             "appliesTo": [{"Protection": "software"}], "bounds": "tiny", "timeBudgetSeconds": 60,
             "designs": {"cdna-baseline": {"expected": {"InterGuestIsolation": "holds"}, "distinctStates": [1, 10]}}}""";

    /** The vacuity section every manifest needs (on one line, so line numbers in errors stay put). */
    static final String VACUITY = "\"vacuity\": {\"MCCdna.tla\": {\"witnesses\": []}}, ";

    private Manifest read(String models) throws IOException, InputException {
        Path f = tmp.resolve("manifest.json");
        Files.writeString(f, "{" + VACUITY + "\"models\": [\n" + models + "\n]}");
        return Manifest.read(f);
    }

    static Manifest project() throws InputException {
        return Manifest.read(Path.of("model-check/manifest.json"));
    }

    @Test
    void theProjectManifestReadsCleanly() throws InputException {
        Manifest m = project();
        for (Manifest.Entry e : m.entries()) assertNull(e.error(), e.error());
        assertTrue(m.entries().size() >= 20);
        assertTrue(m.templates().size() >= 10);
        for (Manifest.Entry e : m.entries()) assertEquals(e.model().template() + "--" + e.model().design(), e.name());
    }

    /** A cfg or design nobody runs is a check that can never fail; an expected property the cfg does not declare is never checked. */
    @Test
    void everyCfgAndDesignIsRunAndEveryExpectedPropertyIsInItsCfg() throws Exception {
        Manifest m = project();
        Set<String> cfgs = new TreeSet<>();
        Set<String> designs = new TreeSet<>();
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

    /** Every property a cfg checks is named once in the catalogue, and every catalogue entry is checked somewhere. */
    @Test
    void everyPropertyIsInTheCatalogueAndEveryCatalogueEntryIsChecked() throws Exception {
        Manifest m = project();
        Set<String> checked = new TreeSet<>();
        for (Manifest.Template t : m.templates()) {
            Cfg cfg = Cfg.read(Path.of("model-check").resolve(t.cfg()));
            for (String p : cfg.invariants()) if (!p.startsWith("TypeOK")) checked.add(p);
            checked.addAll(cfg.properties());
        }
        assertEquals(checked, new TreeSet<>(m.properties().keySet()));
        for (Manifest.Property p : m.properties().values()) assertFalse(p.requiredFor().isEmpty(), p.name());
    }

    /**
     * A design is run on every model layer that reads a switch it changes (a
     * switch its cfgs set as a CONSTANT), wherever some model of that layer
     * applies to it; where none does, the model's appliesTo (which mirrors the
     * spec's ASSUME) is the stated reason.  Without this, cdna-no-sequence-numbers
     * never ran on ContextOwnership, and the Java twin drifted from the spec there
     * unnoticed.
     */
    @Test
    void everyDesignRunsOnEveryModelLayerWhoseSwitchesItSets() throws Exception {
        Manifest m = project();
        DesignFiles files = new DesignFiles(Path.of("model-check/designs"));
        java.util.Map<String, Set<String>> reads = new java.util.TreeMap<>();
        for (Manifest.Template t : m.templates()) {
            Cfg cfg = Cfg.read(Path.of("model-check").resolve(t.cfg()));
            for (Switch sw : Switch.values()) {
                if (cfg.hasConstant(sw.name())) reads.computeIfAbsent(t.module(), k -> new TreeSet<>()).add(sw.name());
            }
        }
        List<String> missing = new java.util.ArrayList<>();
        try (var list = Files.list(files.dir())) {
            for (Path f : (Iterable<Path>) list::iterator) {
                Design d = files.loadFile(f);
                Design base = d.protection() == Design.Protection.SOFTWARE ? Design.cdnaBaseline() : Design.iommuBaseline();
                Set<String> changed = new TreeSet<>();
                for (Switch sw : Switch.values()) if (!d.get(sw).equals(base.get(sw))) changed.add(sw.name());
                for (var layer : reads.entrySet()) {
                    if (java.util.Collections.disjoint(layer.getValue(), changed)) continue;
                    boolean applies = m.templates().stream().anyMatch(t -> t.module().equals(layer.getKey()) && t.whyNot(d) == null);
                    boolean runs = m.entries().stream().anyMatch(e -> e.model().design().equals(d.name())
                            && m.template(e.model().template()).module().equals(layer.getKey()));
                    if (applies && !runs) missing.add(d.name() + " (changes " + changed + ") on " + layer.getKey());
                }
            }
        }
        assertEquals(List.of(), missing, "designs never run on a layer that reads a switch they change");
    }

    /** Every check can fail: each property of the catalogue is violated by a known-bad design, or names the test whose spec mutant violates it. */
    @Test
    void everyPropertyHasAKnownBadDesignOrASpecMutant() throws Exception {
        Manifest m = project();
        for (Manifest.Property p : m.properties().values()) {
            boolean design = m.entries().stream().anyMatch(e -> e.model().expected().get(p.name()) == Manifest.Expect.violated);
            if (design) continue;
            assertNotNull(p.brokenBy(), p.name() + " is violated by no design of the manifest and names no spec mutant");
            String test = p.brokenBy().split("[ #]")[0];
            String method = p.brokenBy().split("[#( ]")[1];
            Class<?> c = Class.forName(test);
            assertTrue(java.util.Arrays.stream(c.getDeclaredMethods()).anyMatch(x -> x.getName().equals(method)
                    && x.isAnnotationPresent(Test.class)), p.brokenBy() + " is not a test");
        }
    }

    /** A regression run is only useful if its model can check its design: appliesTo and the regression suite agree. */
    @Test
    void everyRegressionDesignIsOneItsModelAppliesTo() throws Exception {
        Manifest m = project();
        DesignFiles files = new DesignFiles(Path.of("model-check/designs"));
        for (Manifest.Entry e : m.entries()) {
            Manifest.Template t = m.template(e.model().template());
            Design d = files.load(e.model().design());
            assertNull(t.whyNot(d), e.name());
        }
    }

    @Test
    void applicabilityFollowsTheSwitches() throws Exception {
        Manifest m = project();
        DesignFiles files = new DesignFiles(Path.of("model-check/designs"));
        Design cdna = files.load("cdna-baseline");
        Design shared = files.load("iommu-shared");
        Manifest.Template cdnaStd = m.template("cdna-standard");
        Manifest.Template iommuStd = m.template("iommu-standard");
        Manifest.Template own = m.template("ownership-standard");
        assertTrue(cdnaStd.appliesTo(cdna));
        assertFalse(iommuStd.appliesTo(cdna));
        assertTrue(iommuStd.appliesTo(shared));
        assertTrue(own.appliesTo(cdna));
        assertFalse(own.appliesTo(shared));
        String why = own.whyNot(shared);
        assertTrue(why.contains("IommuStrategy = single-use") && why.contains("ASSUME"), why);
        // a design nobody has seen: certification finds its models from the switches alone
        Design deferred = shared.with("my-deferred", Switch.IommuStrategy, "single-use")
                .with("my-deferred", Switch.Invalidation, "deferred");
        List<String> runs = m.templates().stream().filter(t -> t.profile().equals("standard") && t.appliesTo(deferred))
                .map(Manifest.Template::name).toList();
        assertTrue(runs.contains("iommu-standard") && runs.contains("ownership-standard") && !runs.contains("cdna-standard"), runs.toString());
    }

    @Test
    void aCertificationRunChecksEveryPropertyOfItsCfgWithNoExpectation() throws Exception {
        Manifest m = project();
        Manifest.Template t = m.template("ownership-standard");
        Design d = new DesignFiles(Path.of("model-check/designs")).load("cdna-no-pinning");
        Manifest.Model run = m.certificationRun(t, d, Cfg.read(Path.of("model-check").resolve(t.cfg())));
        assertEquals("ownership-standard--cdna-no-pinning", run.name());
        assertTrue(run.expected().containsKey("IntraGuestProtection") && run.expected().containsKey("NoStaleDma"));
        assertFalse(run.expected().containsKey("TypeOK"));
        assertTrue(run.expected().values().stream().allMatch(java.util.Objects::isNull));
    }

    @Test
    void aMalformedEntryIsAnErrorWithItsLineAndTheOthersSurvive() throws Exception {
        String bad = GOOD.replace("\"ok\"", "\"bad\"").replace("\"holds\"", "\"maybe\"");
        Manifest m = read(GOOD + ",\n" + bad);
        assertEquals(2, m.entries().size());
        assertNotNull(m.entries().get(0).model());
        Manifest.Entry e = m.entries().get(1);
        assertNull(e.model());
        assertEquals("bad--cdna-baseline", e.name());
        assertTrue(e.error().contains("manifest.json:7:"), e.error());
        assertTrue(e.error().contains("\"holds\" or \"violated\""), e.error());
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
                {"\"bounds\"", "\"bonds\"", "unknown field"},
                {"\"Protection\": \"software\"", "\"Protecton\": \"software\"", "unknown switch \"Protecton\""},
                {"\"Protection\": \"software\"", "\"Protection\": \"hardware\"", "must be one of [software, iommu]"},
                {"[{\"Protection\": \"software\"}]", "[]", "at least one clause"},
                {"\"name\": \"ok\"", "\"name\": \"a--b\"", "model name"},
        };
        for (String[] c : cases) {
            Manifest m = read(GOOD.replace(c[0], c[1]));
            String err = m.entries().get(0).error();
            assertNotNull(err, c[1]);
            assertTrue(err.contains(c[2]) && err.contains("manifest.json:"), c[1] + " -> " + err);
        }
    }

    @Test
    void anExpectedPropertyOutsideTheCatalogueIsAnError() throws Exception {
        Path f = tmp.resolve("manifest.json");
        Files.writeString(f, "{\"properties\": {\"InterGuestIsolation\": {\"requiredFor\": [\"software\"], \"java\": null}},\n"
                + VACUITY + "\"models\": [" + GOOD.replace("InterGuestIsolation", "InterGuestIsolaton") + "]}");
        Manifest m = Manifest.read(f);
        String err = m.entries().get(0).error();
        assertTrue(err != null && err.contains("not a property of this manifest"), err);
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
        assertEquals(2, m.entries().size());
        assertNotNull(m.entries().get(0).model());
        assertNull(m.entries().get(1).model());
        assertTrue(m.entries().get(1).error().contains("used twice"));
    }

    /** A "holds" needs a witness: every property a cfg checks has one in its module for every design the suite runs there. */
    @Test
    void everyCheckedPropertyHasAWitnessForEveryDesignItIsCheckedUnder() throws Exception {
        Manifest m = project();
        DesignFiles files = new DesignFiles(Path.of("model-check/designs"));
        for (Manifest.Entry e : m.entries()) {
            Manifest.Model model = e.model();
            assertNotNull(model.vacuity(), model.name() + " has no vacuity declarations");
            Design d = files.load(model.design());
            Cfg cfg = Cfg.read(Path.of("model-check").resolve(model.cfg()));
            List<String> props = new java.util.ArrayList<>(cfg.properties());
            for (String i : cfg.invariants()) if (!i.startsWith("TypeOK")) props.add(i);
            for (String p : props) {
                assertFalse(model.vacuity().witnesses(p, d).isEmpty(), model.name() + ": no witness of " + p);
            }
        }
    }

    /** Every witness is an operator of its module, so a renamed predicate is caught before TLC runs. */
    @Test
    void everyWitnessIsDefinedInItsModule() throws Exception {
        Manifest m = project();
        for (Manifest.Template t : m.templates()) {
            String text = Files.readString(Path.of("model-check").resolve(t.module()));
            // a model module may extend another one of model-check/ (MCCdnaHypercall extends MCCdna)
            java.util.regex.Matcher ext = java.util.regex.Pattern.compile("EXTENDS\\s+(MC\\w+)").matcher(text);
            if (ext.find()) text += Files.readString(Path.of("model-check").resolve(ext.group(1) + ".tla"));
            for (Vacuity.Witness w : t.vacuity().witnesses()) {
                assertTrue(text.contains("\n" + w.name() + " =="), t.module() + " does not define " + w.name());
            }
        }
    }

    @Test
    void vacuityDeclarationsAreChecked() throws Exception {
        String witness = "{\"name\": \"WitnessX\", \"for\": [\"InterGuestIsolation\"], \"about\": \"x\"}";
        String[][] cases = {
                {witness.replace("InterGuestIsolation", "Isolation"), "not a property of this manifest"},
                {witness.replace("WitnessX", "Witness X"), "TLA+ operator name"},
                {witness.replace("\"about\": \"x\"", "\"about\": \"x\", \"when\": {\"Protecton\": \"iommu\"}"),
                        "unknown switch \"Protecton\" in a \"when\" clause"},
                {witness + ", " + witness, "listed twice"},
                {witness.replace("[\"InterGuestIsolation\"]", "[]"), "backs no property"},
        };
        for (String[] c : cases) {
            Path f = tmp.resolve("manifest.json");
            Files.writeString(f, "{\"properties\": {\"InterGuestIsolation\": {\"requiredFor\": [\"software\"], \"java\": null}},\n"
                    + "\"vacuity\": {\"MCCdna.tla\": {\"witnesses\": [" + c[0] + "]}},\n\"models\": [" + GOOD + "]}");
            InputException e = assertThrows(InputException.class, () -> Manifest.read(f), c[0]);
            assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains("manifest.json:"), c[0] + " -> " + e.getMessage());
        }
        // a model of a module the vacuity section does not cover is an error of that model
        Path f = tmp.resolve("manifest.json");
        Files.writeString(f, "{\"vacuity\": {\"MCIommu.tla\": {\"witnesses\": []}},\n\"models\": [" + GOOD + "]}");
        String err = Manifest.read(f).entries().get(0).error();
        assertTrue(err != null && err.contains("MCCdna.tla has no entry under \"vacuity\""), err);
        // so is one of a manifest with no vacuity section at all
        Files.writeString(f, "{\"models\": [" + GOOD + "]}");
        err = Manifest.read(f).entries().get(0).error();
        assertTrue(err != null && err.contains("MCCdna.tla has no entry under \"vacuity\""), err);
        // an exception without a reason
        Files.writeString(f, "{\"vacuity\": {\"MCCdna.tla\": {\"witnesses\": [], \"mayNotFire\": [{\"action\": \"NicDma\"}]}},\n"
                + "\"models\": [" + GOOD + "]}");
        InputException e = assertThrows(InputException.class, () -> Manifest.read(f));
        assertTrue(e.getMessage().contains("\"why\""), e.getMessage());
    }
}
