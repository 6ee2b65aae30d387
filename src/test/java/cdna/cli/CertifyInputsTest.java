package cdna.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What certify does with designs from anywhere, with bad design files, and
 * when interrupted; and the smaller commands (explain, replay, help).
 */
// both cores are busy with this class alone (two TLC lanes, or a server and its workers): pom.xml runs it apart
@org.junit.jupiter.api.Tag("lanes")
class CertifyInputsTest {
    @TempDir
    Path tmp;

    static String sha(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    /** An architect's design file outside the repository: the IOMMU baseline with deferred flushes and no flush before reuse. */
    @Test
    void aDesignFileFromAnywhereIsCertifiedWithoutTouchingTheManifest() throws Exception {
        Path manifest = Path.of("model-check/manifest.json");
        String before = sha(manifest);
        Path mine = tmp.resolve("elsewhere").resolve("iommu-lazy-flush.json");
        Files.createDirectories(mine.getParent());
        Files.writeString(mine, """
                {"name": "iommu-lazy-flush",
                 "description": "The IOMMU baseline with Linux-style lazy IOTLB flushing and freed pages reused at once.",
                 "base": "iommu-baseline",
                 "switches": {"Invalidation": "deferred", "FlushBeforeReuse": false}}
                """);
        // only the IOMMU model: the whole small profile is certified by CertifyCommandTest, and a partial run is never certified
        CertifyCommandTest.Out o = CertifyCommandTest.cli("certify", mine.toString(), "--profile", "small", "--quiet",
                "--only", "^iommu-small$", "--reports", tmp.resolve("reports").toString());
        assertEquals(1, o.exit(), o.err());
        String[] lines = o.out().trim().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("NOT CERTIFIED iommu-lazy-flush: ") && last.contains("InterGuestIsolation violated")
                && last.contains("left out by --only"), last);
        // spec and code: its log is a behaviour of its spec (the timer's flushes logged as FlushIotlb); its graph, far larger
        // than the baseline's, is not replayed for a design already found unsafe, and its dump is stopped at the cap
        assertTrue(o.out().lines().anyMatch(l -> l.startsWith("trace validation") && l.contains(" agrees ")), o.out());
        assertTrue(o.out().lines().anyMatch(l -> l.startsWith("exhaustive replay") && l.contains(" skipped ") && l.contains("more edges than the 1,000,000 replayed for such designs (its dump was stopped at ")),
                o.out());
        assertEquals(before, sha(manifest), "the manifest must not change");
        String html = Files.readString(tmp.resolve("reports/iommu-lazy-flush/index.html"));
        assertTrue(html.contains("Replayed on Java:</b> reproduced"), "its counterexample replays on Java with no manifest entry");
        assertTrue(html.contains(mine.toAbsolutePath().toString()), "the report names the design file");
        assertTrue(Files.exists(tmp.resolve("reports/iommu-lazy-flush/certificate.json")));
    }

    @Test
    void aMalformedDesignFileGetsItsFileAndLineAndNothingRuns() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("designs"));
        Files.writeString(d.resolve("loop-a.json"), "{\"name\": \"loop-a\", \"base\": \"loop-b\", \"switches\": {}}\n");
        Files.writeString(d.resolve("loop-b.json"), "{\"name\": \"loop-b\",\n \"base\": \"loop-a\", \"switches\": {}}\n");
        String[][] cases = {
                {"unknown-switch", "{\"name\": \"unknown-switch\", \"base\": \"cdna-baseline\",\n \"switches\": {\"PinPagez\": false}}",
                        "unknown-switch.json:2:", "unknown switch \"PinPagez\""},
                {"bad-value", "{\"name\": \"bad-value\", \"base\": \"cdna-baseline\",\n \"switches\": {\"IommuStrategy\": \"lazy\"}}",
                        "bad-value.json:2:", "must be one of [single-use, shared, persistent, direct]"},
                {"missing-base", "{\"name\": \"missing-base\",\n \"base\": \"no-such-design\", \"switches\": {}}",
                        "missing-base.json:2:", "no-such-design.json: no such design file"},
                {"not-json", "{\"name\": \"not-json\",\n \"switches\": {PinPages: false}}",
                        "not-json.json:2:", "malformed JSON"},
        };
        for (String[] c : cases) {
            Path f = d.resolve(c[0] + ".json");
            Files.writeString(f, c[1]);
            CertifyCommandTest.Out o = CertifyCommandTest.cli("certify", f.toString(), "--reports", tmp.resolve("r").toString());
            assertEquals(2, o.exit(), c[0]);
            assertTrue(o.err().contains(c[2]) && o.err().contains(c[3]), c[0] + " -> " + o.err());
        }
        CertifyCommandTest.Out cycle = CertifyCommandTest.cli("certify", d.resolve("loop-a.json").toString());
        assertEquals(2, cycle.exit());
        assertTrue(cycle.err().contains("cycle") && cycle.err().contains("loop-b.json:2:"), cycle.err());
        CertifyCommandTest.Out none = CertifyCommandTest.cli("certify", "no-such-design");
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("no-such-design.json: no such design file"), none.err());
        assertFalse(Files.exists(tmp.resolve("r")), "nothing was written for a design that did not load");
    }

    @Test
    void badArgumentsAreRejected() {
        for (String[] args : List.of(new String[]{"certify", "--profile", "huge"}, new String[]{"certify", "--lanes", "0"},
                new String[]{"certify", "--quiet", "--json"}, new String[]{"certify", "--budget-scale", "-1"},
                new String[]{"certify", "--only", "(unclosed"}, new String[]{"certify", "--only", "no-such-model"})) {
            CertifyCommandTest.Out o = CertifyCommandTest.cli(args);
            assertEquals(2, o.exit(), String.join(" ", args));
            assertTrue(o.err().startsWith("cdna certify: ") || o.err().contains("Invalid"), o.err());
        }
    }

    /** Ctrl-C: TLC stops, the report says it is incomplete, and no certificate is written. */
    @Test
    void anInterruptedCertificationWritesAnIncompleteReportAndNoCertificate() throws Exception {
        Path reports = tmp.resolve("reports");
        Path old = reports.resolve("cdna-baseline/certificate.json");
        Files.createDirectories(old.getParent());
        Files.writeString(old, "{\"status\": \"certified\", \"left\": \"by an earlier run\"}");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "certify", "cdna-baseline", "--profile",
                "small", "--reports", reports.toString()));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while ((line = err.readLine()) != null && System.nanoTime() < deadline) {
            seen.append(line).append('\n');
            if (line.contains("distinct states")) break; // TLC is running and reporting
        }
        assertTrue(seen.toString().contains("distinct states"), "TLC never reported progress:\n" + seen);
        List<ProcessHandle> tlcs = p.toHandle().descendants().toList();
        assertFalse(tlcs.isEmpty(), "no TLC running");
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        Thread drain = new Thread(() -> {
            try {
                String l;
                while ((l = err.readLine()) != null) seen.append(l).append('\n');
            } catch (java.io.IOException ignored) {
                // the process is gone
            }
        });
        drain.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "certify did not stop after Ctrl-C");
        drain.join(5000);
        assertEquals(130, p.exitValue(), seen.toString());
        for (ProcessHandle h : tlcs) {
            h.onExit().get(10, TimeUnit.SECONDS);
            assertFalse(h.isAlive(), "TLC " + h.pid() + " survived the interrupt");
        }
        assertFalse(Files.exists(old), "no certificate after an interrupted run, not even an old one");
        String html = Files.readString(reports.resolve("cdna-baseline/index.html"));
        assertTrue(html.contains("INCOMPLETE") && html.contains("interrupted"), "the report says it is incomplete");
        assertTrue(seen.toString().contains("interrupted"), seen.toString());
    }

    @Test
    void explainTellsWhatAPropertyMeansWhereItIsAndWhatBreaksIt() {
        CertifyCommandTest.Out o = CertifyCommandTest.cli("explain", "InterGuestIsolation");
        assertEquals(0, o.exit(), o.err());
        assertTrue(o.out().contains("specs/DmaIsolation.tla:") && o.out().contains("InterGuestIsolation =="), o.out());
        assertTrue(o.out().contains("owns at that moment"), "the comment above the definition is its meaning");
        assertTrue(o.out().contains("cdna-no-pinning") && o.out().contains("iommu-deferred-reuse"), o.out());
        assertTrue(o.out().contains("cdna.sim.IsolationChecker#onAccess"), o.out());
        CertifyCommandTest.Out r = CertifyCommandTest.cli("explain", "ViewPremise");
        assertTrue(r.out().contains("checked on the spec only"), r.out());
        CertifyCommandTest.Out bad = CertifyCommandTest.cli("explain", "NoSuchProperty");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("InterGuestIsolation"), "the known properties are listed");
    }

    @Test
    void replayShowsSpecAndJavaSideBySide() throws Exception {
        Path t = Path.of("src/test/resources/cdna/conformance/traces/cdna-small--cdna-no-pinning--InterGuestIsolation.json");
        CertifyCommandTest.Out o = CertifyCommandTest.cli("replay", t.toString());
        assertEquals(0, o.exit(), o.err() + o.out());
        assertTrue(o.out().contains("== state 1: Init") && o.out().contains("variable") && o.out().contains("java"), o.out());
        assertTrue(o.out().contains("checker: InterGuestIsolation"), o.out());
        assertTrue(o.out().trim().endsWith(")") && o.out().contains("REPRODUCED"), o.out());
        // an edited trace: Java disagrees, and the side-by-side view marks the variable
        String text = Files.readString(t).replaceFirst("\"prod\" : \\{\\s*\"c1\" : 1", "\"prod\" : { \"c1\" : 0");
        Path edited = tmp.resolve("edited.json");
        Files.writeString(edited, text);
        CertifyCommandTest.Out e = CertifyCommandTest.cli("replay", edited.toString());
        assertEquals(1, e.exit(), e.out());
        assertTrue(e.out().contains("≠ prod"), e.out());
        CertifyCommandTest.Out missing = CertifyCommandTest.cli("replay", tmp.resolve("nope.json").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("nope.json"), missing.err());
    }

    @Test
    void everyCommandHasHelpAndTheMainHelpListsOnlyRealCommands() {
        CertifyCommandTest.Out main = CertifyCommandTest.cli("--help");
        assertEquals(0, main.exit());
        for (String c : List.of("certify", "check", "explain", "replay", "validate", "costs", "benchmark", "explore", "prove", "reductions", "provision-plot")) {
            assertTrue(main.out().contains(c), c);
            CertifyCommandTest.Out h = CertifyCommandTest.cli(c, "--help");
            assertEquals(0, h.exit(), c);
            assertTrue(h.out().contains("Usage: cdna " + c), h.out());
        }
        for (String gone : List.of("distribute")) assertFalse(main.out().contains(gone), gone);
    }
}
