package cdna.check;

import cdna.json.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every way a TLC run can go wrong yields a verdict other than "holds", with a
 * message that names the file (and line, where TLC gives one).  These run real
 * TLC on broken inputs, except where only a fake checker can produce the
 * output (unparsable output).
 */
class TlcFailClosedTest {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path SPECS = ROOT.resolve("specs");
    static final Path MC = ROOT.resolve("model-check");

    @TempDir
    Path tmp;

    private Outcome run(TlcRunner.Launcher launcher, Path module, Path cfg, Duration timeout) throws IOException {
        TlcRunner.Run r = new TlcRunner(launcher).run(new TlcRunner.Request(module, cfg, List.of(MC, SPECS), 1, timeout,
                tmp.resolve("work-" + System.nanoTime()), List.of()));
        return Outcome.of(r, List.of(module.getParent(), MC, SPECS));
    }

    private static TlcRunner.Launcher tlc() {
        return TlcRunner.Launcher.tlc("1g");
    }

    @Test
    void parseErrorNamesFileAndLine() throws IOException {
        Path m = tmp.resolve("Broken.tla");
        Files.writeString(m, "---- MODULE Broken ----\nVARIABLE x\nInit == x = \nNext == x' = x\n====\n");
        Path cfg = tmp.resolve("Broken.cfg");
        Files.writeString(cfg, "INIT Init\nNEXT Next\n");
        Outcome o = run(tlc(), m, cfg, Duration.ofMinutes(1));
        assertEquals(Outcome.Kind.PARSE_ERROR, o.kind(), o.message());
        assertTrue(o.message().contains("Broken.tla:"), o.message());
    }

    @Test
    void semanticErrorNamesFileAndLine() throws IOException {
        Path m = tmp.resolve("Undefined.tla");
        Files.writeString(m, "---- MODULE Undefined ----\nVARIABLE x\nInit == x = 0\nNext == x' = y\n====\n");
        Path cfg = tmp.resolve("Undefined.cfg");
        Files.writeString(cfg, "INIT Init\nNEXT Next\n");
        Outcome o = run(tlc(), m, cfg, Duration.ofMinutes(1));
        assertEquals(Outcome.Kind.PARSE_ERROR, o.kind(), o.message());
        assertTrue(o.message().contains("Undefined.tla:4"), o.message());
    }

    @Test
    void cfgNamingAnUndefinedDefinitionIsAConfigError() throws IOException {
        String good = Files.readString(MC.resolve("MCCdnaSmall.cfg"));
        // in the test's own directory, never in model-check/ (the manifest test lists that folder, maybe at the same time)
        Path cfg = tmp.resolve("failclosed_undefined.cfg");
        Files.writeString(cfg, good.replace("INVARIANT TypeOK", "INVARIANT NoSuchInvariant"));
        Outcome o = run(tlc(), MC.resolve("MCCdna.tla"), cfg, Duration.ofMinutes(1));
        assertNotEquals(Outcome.Kind.NO_ERROR, o.kind());
        assertEquals(Outcome.Kind.CONFIG_ERROR, o.kind(), o.message());
    }

    @Test
    void malformedCfgIsRejectedWithItsLine() {
        InputException e = assertThrows(InputException.class, () -> Cfg.parse("x.cfg",
                "CONSTANTS\n  A = 1\n  B 2\nSPECIFICATION Spec\n"));
        assertTrue(e.getMessage().startsWith("x.cfg:3:"), e.getMessage());
        InputException noSpec = assertThrows(InputException.class, () -> Cfg.parse("y.cfg", "CONSTANTS\n  A = 1\n"));
        assertTrue(noSpec.getMessage().contains("SPECIFICATION"), noSpec.getMessage());
        InputException unbalanced = assertThrows(InputException.class, () -> Cfg.parse("z.cfg",
                "CONSTANTS\n  A = {a, b\nSPECIFICATION Spec\n"));
        assertTrue(unbalanced.getMessage().startsWith("z.cfg:2:"), unbalanced.getMessage());
    }

    @Test
    void timeoutIsNeverHolds() throws IOException {
        Outcome o = run(tlc(), MC.resolve("MCCdna.tla"), MC.resolve("MCCdnaFull.cfg"), Duration.ofSeconds(3));
        assertEquals(Outcome.Kind.TIMEOUT, o.kind(), o.message());
    }

    @Test
    void outOfMemoryIsNeverHolds() throws IOException {
        Outcome o = run(TlcRunner.Launcher.tlc("8m"), MC.resolve("MCCdna.tla"), MC.resolve("MCCdnaFull.cfg"),
                Duration.ofMinutes(3));
        assertEquals(Outcome.Kind.OUT_OF_MEMORY, o.kind(), o.message());
    }

    private Outcome fake(String mode) throws IOException {
        TlcRunner.Launcher l = new TlcRunner.Launcher(FakeTlc.class.getName(), System.getProperty("java.class.path"),
                List.of("-Dcdna.fake=" + mode));
        return run(l, MC.resolve("MCCdna.tla"), MC.resolve("MCCdnaSmall.cfg"), Duration.ofMinutes(1));
    }

    @Test
    void unparsableOutputIsNeverHolds() throws IOException {
        for (String mode : List.of("garbage", "violation-without-trace", "bad-trace", "success-without-stats")) {
            Outcome o = fake(mode);
            assertEquals(Outcome.Kind.UNPARSABLE, o.kind(), mode + ": " + o.message());
            assertTrue(o.message().contains("tlc.log"), o.message());
        }
        assertEquals(Outcome.Kind.CRASH, fake("crash").kind());
    }

    @Test
    void everyFailureBecomesANonHoldsVerdictOfTheModel() throws IOException {
        // the same paths through the model checker, as bin/cdna check reports them
        Path root = tmp.resolve("proj");
        Files.createDirectories(root.resolve("model-check/designs"));
        for (Path f : Files.list(MC.resolve("designs")).toList()) {
            Files.copy(f, root.resolve("model-check/designs").resolve(f.getFileName()));
        }
        Files.copy(MC.resolve("MCCdna.tla"), root.resolve("model-check/MCCdna.tla"));
        Files.copy(MC.resolve("MCCdnaFull.cfg"), root.resolve("model-check/MCCdnaFull.cfg"));
        Files.createDirectories(root.resolve("specs"));
        for (Path f : Files.list(SPECS).toList()) Files.copy(f, root.resolve("specs").resolve(f.getFileName()));
        ModelChecker mc = new ModelChecker(new ModelChecker.Settings(root, root.resolve("reports"), root.resolve("work"), 1,
                TlcRunner.Launcher.tlc("1g"), 1.0));
        Map<String, Manifest.Expect> exp = Map.of("InterGuestIsolation", Manifest.Expect.holds);

        // missing cfg
        var missing = mc.check(new Manifest.Model("m1", "small", "MCCdna.tla", "NoSuch.cfg", "cdna-baseline", exp, 1, 10,
                60, "", "manifest.json:1:1"), s -> {});
        assertEquals("error", missing.get(0).verdict());
        assertTrue(missing.get(0).message().contains("NoSuch.cfg"), missing.get(0).message());

        // missing design
        var noDesign = mc.check(new Manifest.Model("m2", "small", "MCCdna.tla", "MCCdnaFull.cfg", "no-such-design", exp, 1,
                10, 60, "", "manifest.json:1:1"), s -> {});
        assertEquals("error", noDesign.get(0).verdict());
        assertTrue(noDesign.get(0).message().contains("no-such-design.json"), noDesign.get(0).message());

        // a property the cfg does not check
        var unknownProp = mc.check(new Manifest.Model("m3", "small", "MCCdna.tla", "MCCdnaFull.cfg", "cdna-baseline",
                Map.of("NoSuchProperty", Manifest.Expect.holds), 1, 10, 60, "", "manifest.json:7:5"), s -> {});
        assertEquals("error", unknownProp.get(0).verdict());
        assertTrue(unknownProp.get(0).message().startsWith("manifest.json:7:5"), unknownProp.get(0).message());

        // the time budget
        var slow = mc.check(new Manifest.Model("m4", "small", "MCCdna.tla", "MCCdnaFull.cfg", "cdna-baseline", exp, 1,
                10, 3, "", "manifest.json:1:1"), s -> {});
        assertEquals("timeout", slow.get(0).verdict());
        assertTrue(!slow.get(0).asExpected());

        // a parse error in a spec the model uses
        Path spec = root.resolve("specs/CdnaProtection.tla");
        String text = Files.readString(spec);
        Files.writeString(spec, text.replace("Slot(s) == s % RingSize", "Slot(s) == s %% RingSize"));
        var broken = mc.check(new Manifest.Model("m5", "small", "MCCdna.tla", "MCCdnaFull.cfg", "cdna-baseline", exp, 1,
                10, 60, "", "manifest.json:1:1"), s -> {});
        assertEquals("error", broken.get(0).verdict());
        assertTrue(broken.get(0).message().contains("CdnaProtection.tla:"), broken.get(0).message());
    }
}
