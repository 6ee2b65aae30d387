package cdna.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequenceDiagramTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachActionIsAnArrowFromItsActorToWhatItActsOn() throws Exception {
        JsonNode pre = JSON.readTree("{\"ctxOwner\": {\"c1\": \"g2\"}, \"owedTo\": {\"c1\": \"g1\"}}");
        assertEquals(new SequenceDiagram.Arrow("g2", "Hypervisor", "PostDescriptor(c1, [addr=0 len=3])"),
                SequenceDiagram.arrow("PostDescriptor", JSON.readTree("{\"c\": \"c1\", \"b\": {\"addr\": 0, \"len\": 3}}"), pre, false));
        assertEquals("NIC", SequenceDiagram.arrow("NicDma", JSON.readTree("{\"c\": \"c1\"}"), pre, false).from());
        assertEquals("g2", SequenceDiagram.arrow("NicDma", JSON.readTree("{\"c\": \"c1\"}"), pre, false).to());
        assertEquals("IOMMU", SequenceDiagram.arrow("UnmapContext", JSON.readTree("{\"c\": \"c1\"}"), pre, true).to());
        assertEquals("NIC", SequenceDiagram.arrow("UnmapContext", JSON.readTree("{\"c\": \"c1\"}"), pre, false).to());
        // a virtual interrupt goes to the guest it is owed to, which is what a misdirected one gets wrong
        assertEquals("g1", SequenceDiagram.arrow("DeliverVirq", JSON.readTree("{\"c\": \"c1\"}"), pre, false).to());
        // an action of a spec the table does not know is still drawn, on the hypervisor's lane
        SequenceDiagram.Arrow odd = SequenceDiagram.arrow("MigrateGuest", JSON.readTree("{}"), pre, false);
        assertEquals(odd.from(), odd.to());
    }

    @Test
    void aRealTraceIsDrawnWithEveryStepAndTheViolationMarked() throws Exception {
        JsonNode t = JSON.readTree(Path.of("src/test/resources/cdna/conformance/traces/cdna-small--cdna-no-pinning--InterGuestIsolation.json").toFile());
        String svg = SequenceDiagram.svg(t, false, "InterGuestIsolation<&>");
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), svg);
        assertEquals(t.get("states").size() - 1, count(svg, "marker-end="), "one arrow per step");
        assertEquals(1, count(svg, "url(#ahbad)"), "the last step is the one after which the property fails");
        assertTrue(svg.contains("InterGuestIsolation&lt;&amp;&gt; is violated after step " + t.get("states").size()), "escaped");
        assertTrue(svg.contains(">g1</text>") && svg.contains(">Hypervisor</text>") && svg.contains(">NIC</text>"));
        StringBuilder h = new StringBuilder();
        Counterexamples.stepTable(h, t);
        assertTrue(h.toString().contains("<tr class=\"last\">") && h.toString().contains("<ins>"), h.toString());
    }

    static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) n++;
        return n;
    }
}
