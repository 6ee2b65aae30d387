package cdna.check;

import cdna.design.Design;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runner takes models a verification engineer writes, through real TLC:
 * a module-scoped override, a model checked for deadlock only, a deadlock the
 * manifest expects (or expects absent), a stale PlusCal translation (a
 * warning, not an error).  What this TLC cannot do still ends in "error".
 */
class TlcModelsTest {
    @TempDir
    static Path root;

    static ModelChecker checker;

    @BeforeAll
    static void setUp() throws IOException {
        Path mc = Files.createDirectories(root.resolve("model-check"));
        Files.createDirectories(root.resolve("specs"));
        try (var files = Files.list(CfgTest.MODELS)) {
            for (Path f : files.toList()) Files.copy(f, mc.resolve(f.getFileName()));
        }
        checker = new ModelChecker(new ModelChecker.Settings(root, root.resolve("reports"), root.resolve("work"), 1,
                TlcRunner.Launcher.tlc("1g"), 1.0));
    }

    static List<PropertyResult> check(String module, String cfg, Map<String, Manifest.Expect> expected) {
        Manifest.Model m = new Manifest.Model(cfg.replace(".cfg", "").toLowerCase(), "small", module, cfg, "test", expected, 0,
                Long.MAX_VALUE, 120, "", "test");
        return checker.check(m, Design.cdnaBaseline(), msg -> {});
    }

    static Map<String, Manifest.Expect> expect(String p, Manifest.Expect e) {
        Map<String, Manifest.Expect> m = new LinkedHashMap<>();
        m.put(p, e);
        return m;
    }

    @Test
    void aModuleScopedOverrideReachesTlc() {
        // Without the override Limit is 5 and Small fails at x = 3; with it, 3 states and Small holds.
        PropertyResult r = check("Ticks.tla", "TicksOverride.cfg", expect("Small", Manifest.Expect.holds)).get(0);
        assertEquals("holds", r.verdict(), r.message());
        assertEquals(3, r.distinctStates());
    }

    @Test
    void aModelWithoutPropertiesIsCheckedForDeadlockAndTheManifestMayExpectOne() throws Exception {
        PropertyResult r = check("Ticks.tla", "TicksDeadlock.cfg", expect(Manifest.DEADLOCK, Manifest.Expect.violated)).get(0);
        assertEquals("violated", r.verdict(), r.message());
        assertEquals("deadlock", r.kind());
        assertTrue(r.asExpected());
        assertNotNull(r.trace());
        assertEquals(6, r.depth(), "x runs 0..5 and stops");
        assertTrue(Files.readString(root.resolve(r.trace())).contains("\"x\""));

        PropertyResult ok = check("Ticks.tla", "TicksWrap.cfg", expect(Manifest.DEADLOCK, Manifest.Expect.holds)).get(0);
        assertEquals("holds", ok.verdict(), ok.message());
        assertTrue(ok.asExpected());

        // a certification run of a cfg with no INVARIANT or PROPERTY asks about deadlock
        Manifest.Template t = new Manifest.Template("ticks", "small", "Ticks.tla", "TicksDeadlock.cfg", List.of(), null, "", 60, "", "t");
        Manifest.Model run = Manifest.read(writeManifest()).certificationRun(t, Design.cdnaBaseline(),
                Cfg.read(root.resolve("model-check/TicksDeadlock.cfg")));
        assertEquals(List.of(Manifest.DEADLOCK), List.copyOf(run.expected().keySet()));
    }

    private static Path writeManifest() throws IOException {
        Path f = root.resolve("m.json");
        Files.writeString(f, "{\"models\": []}");
        return f;
    }

    @Test
    void expectingADeadlockOfACfgThatTurnsTheCheckOffIsAnError() {
        PropertyResult r = check("Ticks.tla", "TicksNoDeadlockCheck.cfg", expect(Manifest.DEADLOCK, Manifest.Expect.holds)).get(0);
        assertEquals("error", r.verdict());
        assertTrue(r.message().contains("CHECK_DEADLOCK FALSE"), r.message());
    }

    @Test
    void aDeadlockNobodyAskedAboutIsNeverHolds() {
        PropertyResult r = check("Ticks.tla", "TicksDeadlock.cfg", expect("Small", Manifest.Expect.holds)).get(0);
        // TicksDeadlock.cfg has no INVARIANT Small: the cfg is refused before TLC runs
        assertEquals("error", r.verdict(), r.message());
    }

    @Test
    void whatThisTlcCannotDoIsAnErrorNamingTheLine() {
        PropertyResult r = check("Ticks.tla", "TicksAlias.cfg", expect(Manifest.DEADLOCK, Manifest.Expect.holds)).get(0);
        assertEquals("error", r.verdict());
        assertTrue(r.message().contains("TicksAlias.cfg:3:") && r.message().contains("ALIAS"), r.message());
    }

    @Test
    void aStalePlusCalTranslationIsAWarningNotAnError() {
        PropertyResult r = check("PcalStale.tla", "PcalStale.cfg", expect("Small", Manifest.Expect.holds)).get(0);
        assertEquals("holds", r.verdict(), r.message());
        assertNotNull(r.message());
        assertTrue(r.message().contains("TLC warned") && r.message().contains("PlusCal"), r.message());
    }
}
