package cdna.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A copy of the project in which the hypervisor never accepts a descriptor
 * (PostDescriptor's guard is FALSE): the NIC then never moves a byte, so
 * every CDNA property "holds" for want of anything to check.  With the
 * manifest's pinned state range taken away (a new design has none), the
 * vacuity check alone must turn those verdicts into "vacuous", name the dead
 * action, and make certification fail.
 */
// both cores are busy with this class alone (two TLC lanes, or a server and its workers): pom.xml runs it apart
@org.junit.jupiter.api.Tag("lanes")
class VacuousVariantTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path root;

    @BeforeAll
    static void variant() throws IOException {
        root = tmp.resolve("variant");
        copyTree(Path.of("specs"), root.resolve("specs"));
        copyTree(Path.of("model-check"), root.resolve("model-check"));
        Path spec = root.resolve("specs/CdnaProtection.tla");
        String s = Files.readString(spec);
        String guard = "PostDescriptor(c, b) ==\n  /\\ ~HypercallWindow";
        assertTrue(s.contains(guard), "CdnaProtection.PostDescriptor changed: update this test's edit");
        Files.writeString(spec, s.replace(guard, "PostDescriptor(c, b) ==\n  /\\ FALSE\n  /\\ ~HypercallWindow"));
        // no pinned state ranges: only the vacuity check can tell
        Path man = root.resolve("model-check/manifest.json");
        JsonNode m = JSON.readTree(man.toFile());
        for (JsonNode model : m.get("models")) {
            for (JsonNode d : model.get("designs")) {
                ArrayNode range = (ArrayNode) d.get("distinctStates");
                range.set(0, JSON.getNodeFactory().numberNode(1));
                range.set(1, JSON.getNodeFactory().numberNode(1_000_000_000L));
            }
        }
        Files.writeString(man, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m));
    }

    @Test
    void checkCallsEveryPropertyVacuousAndNamesTheDeadAction() throws Exception {
        Path reports = root.resolve("reports-check");
        CertifyCommandTest.Out o = CertifyCommandTest.cli("check", "--root", root.toString(), "--profile", "small",
                "--filter", "^cdna-small--cdna-baseline$", "--reports", reports.toString(), "--quiet");
        assertEquals(1, o.exit(), o.out() + o.err());
        JsonNode rows = JSON.readTree(reports.resolve("check.json").toFile());
        // Inter, Intra and ViewPremise: every property the model checks for the design.
        assertEquals(3, rows.size(), rows.toString());
        for (JsonNode r : rows) {
            assertEquals("vacuous", r.get("verdict").asText(), r.toString());
            String msg = r.get("message").asText();
            // with no descriptor the NIC has nothing to fetch or move either, so those actions die with it
            assertTrue(msg.startsWith("vacuous: actions PostDescriptor, NicFetch, NicDma, ReapCompletions never fired"), msg);
            assertEquals(0, r.get("coverage").get("PostDescriptor").get("taken").asLong(), r.toString());
            assertTrue(r.get("coverage").get("AllocatePage").get("taken").asLong() > 0, r.toString());
        }
        assertTrue(o.out().contains("vacuous"), o.out());
    }

    @Test
    void certifyFailsOnAVacuousDesign() throws Exception {
        Path reports = root.resolve("reports-certify");
        // the CDNA models only: the edit leaves the others as they are (the whole small profile is certified by CertifyCommandTest)
        CertifyCommandTest.Out o = CertifyCommandTest.cli("certify", "cdna-baseline", "--root", root.toString(), "--profile",
                "small", "--only", "^cdna-", "--reports", reports.toString(), "--quiet");
        assertEquals(1, o.exit(), o.out() + o.err());
        String last = o.out().trim().substring(o.out().trim().lastIndexOf('\n') + 1);
        assertTrue(last.contains("InterGuestIsolation vacuous"), last);
        JsonNode cert = JSON.readTree(reports.resolve("cdna-baseline/certificate.json").toFile());
        assertEquals("not certified", cert.get("status").asText());
        for (JsonNode p : cert.get("properties")) {
            if (p.get("property").asText().equals("IntraGuestProtection")) {
                assertEquals("vacuous", p.get("verdict").asText(), p.toString());
            }
        }
        String html = Files.readString(reports.resolve("cdna-baseline/index.html"));
        assertTrue(html.contains("What the models exercised"), "no coverage section");
        assertTrue(html.contains("PostDescriptor <b>never fired</b>"), "the dead action is not marked");
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }
}
