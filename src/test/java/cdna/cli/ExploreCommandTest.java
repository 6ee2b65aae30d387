package cdna.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/cdna explore end to end on a small space (real TLC, real Java): the
 * IOMMU baseline with and without sub-page bouncing, through both stages, on
 * the IOMMU models only; and its refusals of bad input.
 */
// both cores are busy with this class alone (two TLC lanes, or a server and its workers): pom.xml runs it apart
@org.junit.jupiter.api.Tag("lanes")
class ExploreCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void exploresJoinsCostsAndVerdictsAndDrawsTheFrontier() throws Exception {
        CertifyCommandTest.Out o = CertifyCommandTest.cli("explore", "--base", "iommu-baseline", "--vary", "SubPageBounce",
                "--only", "^iommu-(small|standard)$", "--keep", "InterGuestIsolation,IntraGuestProtection", "--quiet",
                "--reports", tmp.toString());
        assertEquals(0, o.exit(), o.out() + o.err());
        Path dir = tmp.resolve("explore/iommu-baseline");
        JsonNode r = JSON.readTree(dir.resolve("explore.json").toFile());
        assertEquals(2, r.get("designs").size());
        JsonNode noBounce = null, base = null;
        for (JsonNode d : r.get("designs")) {
            if (d.get("name").asText().equals("iommu-single-use-no-bounce")) noBounce = d;
            if (d.get("name").asText().equals("iommu-baseline")) base = d;
        }
        assertTrue(noBounce != null && base != null, r.toString());
        // sub-page bouncing is what keeps a guest's other data in a mapped page from the device
        assertEquals("violated", noBounce.get("verdicts").get("IntraGuestProtection").asText());
        assertEquals("holds", noBounce.get("verdicts").get("InterGuestIsolation").asText());
        assertEquals("holds", base.get("verdicts").get("IntraGuestProtection").asText());
        assertEquals("standard", noBounce.get("stage").asText());
        assertTrue(noBounce.get("cost").asDouble() < base.get("cost").asDouble(), "the bounce copy costs");
        // both on the frontier: cheaper and keeping less, or dearer and keeping more
        assertEquals(List.of("iommu-single-use-no-bounce", "iommu-baseline"), names(r.get("frontier")));
        assertEquals("iommu-baseline", r.get("keep").get("design").asText());
        // the standard stage did not check again what small bounds broke
        JsonNode std = JSON.readTree(dir.resolve("designs/iommu-single-use-no-bounce/standard/certificate.json").toFile());
        List<String> checked = new ArrayList<>();
        for (JsonNode m : std.get("models")) for (JsonNode p : m.get("results")) checked.add(m.get("model").asText() + ":" + p.get("property").asText());
        assertEquals(List.of("iommu-standard:InterGuestIsolation"), checked);
        // every verdict the manifest expects of these two design files, small and standard, agrees
        JsonNode ag = r.get("manifestAgreement");
        assertEquals(7, ag.get("checked").asInt(), ag.toString());
        assertEquals(0, ag.get("disagreements").size(), ag.toString());
        assertTrue(o.out().contains("Cheapest design keeping InterGuestIsolation, IntraGuestProtection: iommu-baseline"), o.out());
        assertTrue(o.out().contains("Pareto frontier: iommu-single-use-no-bounce, iommu-baseline"), o.out());
        String svg = Files.readString(dir.resolve("frontier.svg"));
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("frontier.svg").toFile());
        assertEquals(2, svg.split("fill=\"#c62828\" stroke=\"#8e0000\" stroke-width").length - 1, "two frontier points drawn");
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("designs/iommu-baseline/standard/index.html") && html.contains("<svg"), "links and plot");
        String cert = Files.readString(dir.resolve("designs/iommu-baseline/standard/index.html"));
        assertTrue(cert.contains("../../../index.html"), "each certificate links back to its exploration");
    }

    static List<String> names(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void badInputIsRefusedBeforeAnythingRuns() throws Exception {
        CertifyCommandTest.Out o = CertifyCommandTest.cli("explore", "--base", "iommu-baseline", "--vary", "SubPageBounc",
                "--reports", tmp.toString());
        assertEquals(2, o.exit());
        assertTrue(o.err().contains("no switch \"SubPageBounc\"") && o.err().contains("SubPageBounce"), o.err());
        o = CertifyCommandTest.cli("explore", "--base", "iommu-baseline", "--vary", "SubPageBounce", "--keep", "NoStale",
                "--reports", tmp.toString());
        assertEquals(2, o.exit());
        assertTrue(o.err().contains("no property \"NoStale\"") && o.err().contains("NoStaleDma"), o.err());
        Path costs = Files.writeString(tmp.resolve("costs.json"), "{\n  \"map\": 0.5,\n  \"flush\": 3\n}\n");
        o = CertifyCommandTest.cli("explore", "--base", "iommu-baseline", "--vary", "SubPageBounce", "--unit-costs", costs.toString(),
                "--reports", tmp.toString());
        assertEquals(2, o.exit());
        assertTrue(o.err().contains("costs.json:3") && o.err().contains("\"flush\""), o.err());
        o = CertifyCommandTest.cli("explore", "--base", "no-such-design", "--reports", tmp.toString());
        assertEquals(2, o.exit());
        assertTrue(o.err().contains("no-such-design"), o.err());
        o = CertifyCommandTest.cli("explore", "--base", "iommu-baseline", "--vary", "SubPageBounce", "--stages", "deep",
                "--reports", tmp.toString());
        assertEquals(2, o.exit());
        assertTrue(o.err().contains("--stages"), o.err());
        assertFalse(Files.exists(tmp.resolve("explore")), "nothing written for refused input");
    }
}
