package cdna.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/cdna certify on a known-bad design, for real (TLC at small bounds, the
 * Java implementation, the report): run once, then every part checked.
 */
// both cores are busy with this class alone (two TLC lanes, or a server and its workers): pom.xml runs it apart
@org.junit.jupiter.api.Tag("lanes")
class CertifyCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path reports;

    static int exit;
    static List<JsonNode> events = new ArrayList<>();
    static Path dir;
    static JsonNode certificate;
    static String html;

    /** Runs the CLI in this JVM, capturing stdout and stderr. */
    record Out(int exit, String out, String err) {}

    static synchronized Out cli(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Out(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @BeforeAll
    static void certifyABadDesign() throws Exception {
        Out o = cli("certify", "cdna-first-page-only", "--profile", "small", "--json", "--reports", reports.toString());
        exit = o.exit();
        for (String line : o.out().split("\n")) if (!line.isBlank()) events.add(JSON.readTree(line));
        dir = reports.resolve("cdna-first-page-only");
        certificate = JSON.readTree(dir.resolve("certificate.json").toFile());
        html = Files.readString(dir.resolve("index.html"));
    }

    @Test
    void aBadDesignIsNotCertifiedAndTheFailingPropertiesAreNamed() {
        assertEquals(1, exit);
        JsonNode last = events.get(events.size() - 1);
        assertEquals("certificate", last.get("event").asText());
        assertEquals("not certified", last.get("status").asText());
        List<String> failing = new ArrayList<>();
        last.get("failing").forEach(f -> failing.add(f.asText()));
        assertTrue(failing.contains("InterGuestIsolation violated"), failing.toString());
        assertFalse(failing.stream().anyMatch(f -> f.startsWith("IntraGuestProtection")), failing.toString());
    }

    @Test
    void progressIsMachineReadableAndShowsTlcAsItRuns() {
        assertTrue(events.stream().anyMatch(e -> e.get("event").asText().equals("progress") && e.has("distinct")
                && e.has("queue") && e.has("statesPerSecond") && e.get("model").asText().startsWith("cdna-small")), "no progress event");
        assertTrue(events.stream().anyMatch(e -> e.get("event").asText().equals("verdict")
                && e.get("property").asText().equals("InterGuestIsolation") && e.get("verdict").asText().equals("violated")));
    }

    @Test
    void theCertificateHasAVerdictPerPropertyWithEvidenceAndProvenance() {
        assertEquals("not certified", certificate.get("status").asText());
        JsonNode inter = property("InterGuestIsolation");
        assertEquals("violated", inter.get("verdict").asText());
        JsonNode spec = inter.get("spec");
        boolean reproduced = false;
        for (JsonNode r : spec) {
            if (r.get("verdict").asText().equals("violated")) {
                assertNotNull(r.get("trace").asText(null));
                assertTrue(r.get("itf").asText().endsWith(".itf.json"));
                reproduced |= r.get("javaReplay").asText().startsWith("reproduced");
            }
        }
        assertTrue(reproduced, "no counterexample replayed on Java");
        assertEquals("holds", property("IntraGuestProtection").get("verdict").asText());
        JsonNode prov = certificate.get("provenance");
        for (String f : List.of("gitCommit", "tlcVersion", "java", "machine", "date", "commandLine")) {
            assertFalse(prov.get(f).asText().isBlank(), f);
        }
        assertTrue(prov.get("tlcVersion").asText().contains("2.18"), prov.get("tlcVersion").asText());
        assertTrue(prov.get("commands").size() > 0 && prov.get("commands").get(0).asText().contains("tlc2.TLC")
                || prov.get("commands").get(0).asText().contains("TlcMain"));
        assertEquals(20240611L, prov.get("seed").asLong());
        assertTrue(certificate.get("implementation").get("runs").asInt() > 100);
        assertEquals("cdna-baseline", certificate.get("comparison").get("baseline").asText());
        assertEquals(List.of("ValidateAllPages"), fieldNames(certificate.get("design").get("changed")));
    }

    /** Spec and code in step for this design too: state graphs replayed on Java and a logged Java run validated by TLC, per small model. */
    @Test
    void theCertificateShowsSpecAndCodeInStepBothWays() {
        JsonNode runs = certificate.get("conformance").get("runs");
        List<String> seen = new ArrayList<>();
        for (JsonNode r : runs) {
            seen.add(r.get("kind").asText() + " " + r.get("model").asText());
            assertTrue(r.get("ok").asBoolean(), r.toString());
            assertTrue(r.get("size").asLong() > 5, r.toString());  // a migration ends when its writes and frames run out
        }
        for (String want : List.of("exhaustive replay ownership-small", "exhaustive replay cdna-small", "exhaustive replay migration-small",
                "trace validation ownership-small",
                "trace validation cdna-small", "trace validation migration-small")) {
            assertTrue(seen.contains(want), "missing " + want + " in " + seen);
        }
        assertTrue(html.contains("Spec and code in step"), "the report has the conformance section");
    }

    static List<String> fieldNames(JsonNode o) {
        List<String> n = new ArrayList<>();
        o.fieldNames().forEachRemaining(n::add);
        return n;
    }

    static JsonNode property(String name) {
        for (JsonNode p : certificate.get("properties")) if (p.get("property").asText().equals(name)) return p;
        throw new AssertionError("no property " + name);
    }

    @Test
    void theReportShowsTheVerdictsFirstAndDrawsTheTraceReplayedOnJava() {
        int table = html.indexOf("class=\"verdicts\"");
        assertTrue(table > 0 && table < html.indexOf("<h2>Design"), "the verdict table comes first");
        assertTrue(html.contains("<svg") && html.contains("sequence diagram of a counterexample to InterGuestIsolation"));
        assertTrue(html.contains("Replayed on Java:</b> reproduced"), "Java replay");
        assertTrue(html.contains("class=\"chg\""), "changed variables highlighted");
        assertTrue(html.contains("Against the baseline") && html.contains("ValidateAllPages"));
        assertTrue(html.contains("TLC command lines") && html.contains("git commit"));
        // self-contained: nothing fetched
        String local = html.replace("http://www.w3.org/2000/svg", "");
        assertFalse(local.contains("http://") || local.contains("https://"), "no external resources");
        assertFalse(html.contains("<script") || html.contains("<link") || html.contains("@import") || html.contains("url(http"));
    }

    @Test
    void everyCounterexampleIsAlsoInTheInformalTraceFormat() throws Exception {
        List<Path> itfs;
        try (var l = Files.list(dir.resolve("traces"))) {
            itfs = l.filter(f -> f.toString().endsWith(".itf.json")).toList();
        }
        assertFalse(itfs.isEmpty());
        boolean sawSet = false, sawMap = false, sawRecord = false, sawSeq = false, sawInt = false;
        for (Path f : itfs) {
            JsonNode t = JSON.readTree(f.toFile());
            assertEquals("ITF", t.get("#meta").get("format").asText());
            assertTrue(t.get("#meta").has("format-description"));
            assertTrue(t.get("vars").isArray() && t.get("vars").size() > 0);
            JsonNode states = t.get("states");
            assertTrue(states.isArray() && states.size() > 0);
            for (int i = 0; i < states.size(); i++) {
                JsonNode s = states.get(i);
                assertEquals(i, s.get("#meta").get("index").asInt());
                for (JsonNode v : t.get("vars")) assertTrue(s.has(v.asText()), f + " state " + i + " lacks " + v.asText());
                assertEquals(t.get("vars").size() + 1, s.size(), "a state holds exactly the variables and #meta");
                for (JsonNode v : t.get("vars")) {
                    JsonNode x = s.get(v.asText());
                    sawSet |= contains(x, "#set");
                    sawMap |= contains(x, "#map");
                    sawInt |= contains(x, "#bigint");
                    sawSeq |= x.isArray();
                    sawRecord |= x.toString().contains("\"addr\"");
                }
            }
            assertTrue(states.get(states.size() - 1).get("#meta").has("action"));
        }
        assertTrue(sawSet && sawMap && sawRecord && sawSeq && sawInt,
                "set " + sawSet + ", map " + sawMap + ", record " + sawRecord + ", sequence " + sawSeq + ", int " + sawInt);
    }

    static boolean contains(JsonNode n, String key) {
        if (n.isObject()) {
            if (n.has(key)) return true;
            for (JsonNode c : n) if (contains(c, key)) return true;
        }
        if (n.isArray()) for (JsonNode c : n) if (contains(c, key)) return true;
        return false;
    }

    @Test
    void theReportRendersInARealBrowser() throws Exception {
        BrowserCheck.Result r = BrowserCheck.render(dir.resolve("index.html"), reports.resolve("screenshot.png"));
        assertTrue(r.dom().contains("class=\"verdicts\"") && r.dom().contains("<svg"), "the DOM lacks the table or the SVG");
        // the verdict table's red "violated" cells and the diagram's lane headers are on screen
        assertTrue(r.pixels(0xc62828) > 2000, "too few violated-red pixels: " + r.pixels(0xc62828));
        assertTrue(r.pixels(0x2e7d32) > 2000, "too few holds-green pixels: " + r.pixels(0x2e7d32));
        assertTrue(r.pixels(0x1565c0) > 1000, "no guest lane drawn: " + r.pixels(0x1565c0));
        assertTrue(r.pixels(0x5e35b1) > 1000, "no hypervisor lane drawn: " + r.pixels(0x5e35b1));
        assertTrue(r.pixels(0x00838f) > 1000, "no NIC lane drawn: " + r.pixels(0x00838f));
    }
}
