package cdna.conformance;

import cdna.json.InputException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays TLC counterexamples on the Java implementation.  The traces under
 * src/test/resources/cdna/conformance/traces/ were written by
 * {@code bin/cdna check} (the small profile, plus one cdna-standard trace for
 * a model whose doorbell is over-approximated, and the ContextOwnership traces
 * described in OwnershipTraceReplayTest); the tampered and broken
 * variants are made from them here, so that each check is seen to fail.
 */
class TraceReplayTest {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path TRACES = ROOT.resolve("src/test/resources/cdna/conformance/traces");
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static final String NO_PINNING = "cdna-small--cdna-no-pinning--InterGuestIsolation";
    static final String NO_SEQ = "cdna-small--cdna-no-sequence-numbers--InterGuestIsolation";
    static final String NO_DOORBELL = "cdna-standard--cdna-no-sequence-numbers--InterGuestIsolation";
    static final String DEFERRED = "iommu-small--iommu-deferred-reuse--InterGuestIsolation";

    @TempDir
    Path tmp;

    static Path trace(String name) { return TRACES.resolve(name + ".json"); }

    /** A copy of a kept trace with an edit applied, written into dir where the replay can read it. */
    static Path tampered(Path dir, String name, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode doc = (ObjectNode) JSON.readTree(Files.readString(trace(name)));
        edit.accept(doc);
        Path p = dir.resolve(name + ".json");
        Files.writeString(p, JSON.writeValueAsString(doc));
        return p;
    }

    Path tampered(String name, Consumer<ObjectNode> edit) throws IOException { return tampered(tmp, name, edit); }

    static ObjectNode state(ObjectNode doc, int index) { return (ObjectNode) doc.get("states").get(index - 1); }

    static ObjectNode vars(ObjectNode doc, int index) { return (ObjectNode) state(doc, index).get("vars"); }

    /** The 1-based line of the first line containing s. */
    static int lineOf(String text, String s) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) if (lines[i].contains(s)) return i + 1;
        throw new AssertionError("no line contains " + s);
    }

    // ------------------------------------------------------------------ the kept traces

    @TestFactory
    List<DynamicTest> everyKeptTraceReproduces() throws IOException {
        List<Path> files;
        try (var s = Files.list(TRACES)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(files.size() >= 40, "expected the 40 kept traces, found " + files.size());
        assertTrue(files.stream().anyMatch(p -> p.getFileName().toString().startsWith("iommu-")));
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : files) {
            String name = f.getFileName().toString().replaceFirst("\\.json$", "");
            tests.add(DynamicTest.dynamicTest(name, () -> {
                ReplayResult r = TraceReplay.replay(ROOT, f);
                assertTrue(r.reproduced(), r.summary() + "\n" + String.join("\n", r.notes()));
                assertNull(r.divergence());
                String property = name.substring(name.lastIndexOf("--") + 2);
                assertEquals(property, r.property());
                if (property.equals("MigrationCompletes")) {
                    // A lasso that stutters: the migration's fair steps get stuck from its last state.
                    assertTrue(r.flagged().contains("MigrationCompletes@" + r.states() + " (LIVENESS)"), r.flagged().toString());
                    assertTrue(r.summary().contains("reproduced"), r.summary());
                    return;
                }
                if (property.equals("NoStarvation")) {
                    // A lasso: the twin takes the loop back and the checker finds a context starved over it.
                    assertTrue(r.flagged().contains("NoStarvation@" + r.states() + " (LIVENESS)"), r.flagged().toString());
                    assertTrue(r.summary().contains("stays backlogged"), r.summary());
                    return;
                }
                if (property.equals("NoLostInterrupt")) {
                    // A lasso: OwnershipTraceReplayTest checks what its replay shows.
                    assertTrue(r.flagged().stream().anyMatch(x -> x.startsWith("NoLostInterrupt@") && x.endsWith("(LIVENESS)")),
                            r.flagged().toString());
                    return;
                }
                assertEquals(r.states() - 1, r.stepsApplied());
                String shows = property;
                assertTrue(r.flagged().contains(shows + "@" + r.states() + " (REACH)"),
                        "expected " + shows + " flagged at the last state " + r.states() + ", got " + r.flagged());
                assertTrue(r.summary().contains("reproduced"), r.summary());
            }));
        }
        return tests;
    }

    @Test
    void theDoorbellIsRungOnlyWhereTheModelLetsTheNicFetchAnyTime() throws Exception {
        ReplayResult free = TraceReplay.replay(ROOT, trace(NO_DOORBELL));
        assertTrue(free.reproduced(), free.summary());
        assertTrue(free.notes().stream().anyMatch(n -> n.startsWith("state 3: rang doorbell[c1] := 1 before NicFetch(c1)")),
                "notes: " + free.notes());

        // MCCdnaSmall models the doorbell: the trace rings it itself, and the replay adds nothing.
        ReplayResult modelled = TraceReplay.replay(ROOT, trace(NO_SEQ));
        assertTrue(modelled.reproduced(), modelled.summary());
        assertTrue(modelled.notes().stream().noneMatch(n -> n.contains("rang doorbell")), "notes: " + modelled.notes());
    }

    // ------------------------------------------------------------------ divergences

    @Test
    void aWrongRingSlotIsReportedAtItsStateAndVariable() throws Exception {
        Path p = tampered(NO_SEQ, d -> ((ObjectNode) vars(d, 5).get("ring").get("c1").get("0")).put("seq", 1));
        ReplayResult r = TraceReplay.replay(ROOT, p);
        assertFalse(r.reproduced());
        assertNotNull(r.divergence(), r.summary());
        assertTrue(r.divergence().startsWith("state 5 (PostDescriptor(c = c1, b = [addr |-> 0, len |-> 1])), variable ring ("),
                r.divergence());
        assertTrue(r.divergence().endsWith("ring[c1][0].seq: trace has 1, Java has 0"), r.divergence());
        assertEquals(4, r.stepsApplied());
        assertTrue(r.summary().contains("DIVERGES at state 5"), r.summary());
    }

    @Test
    void aWrongSetIsReportedWithWhatOnlyOneSideHas() throws Exception {
        Path p = tampered(DEFERRED, d -> ((ObjectNode) vars(d, 4).get("iotlb").get("c1")).putArray("$set"));
        ReplayResult r = TraceReplay.replay(ROOT, p);
        assertFalse(r.reproduced());
        assertNotNull(r.divergence(), r.summary());
        assertTrue(r.divergence().startsWith("state 4 (FreePage(g = g1, p = p1)), variable iotlb"), r.divergence());
        assertTrue(r.divergence().endsWith("iotlb[c1]: trace has {}, Java has {[off |-> 0, page |-> p1]}; only in Java: [off |-> 0, page |-> p1]"),
                r.divergence());
        assertEquals(3, r.stepsApplied());
    }

    @Test
    void aWrongInitialStateIsReportedBeforeAnyStep() throws Exception {
        Path p = tampered(NO_PINNING, d -> ((ArrayNode) vars(d, 1).get("owner")).set(1, "g1"));
        ReplayResult r = TraceReplay.replay(ROOT, p);
        assertFalse(r.reproduced());
        assertNotNull(r.divergence());
        assertTrue(r.divergence().startsWith("state 1 (Init), variable owner"), r.divergence());
        assertTrue(r.divergence().endsWith("owner[2]: trace has g1, Java has Hyp"), r.divergence());
        assertEquals(0, r.stepsApplied());
    }

    @Test
    void theUnmodelledDoorbellIsStillCompared() throws Exception {
        // With ModelDoorbell = FALSE the spec's doorbell is 0 forever, whatever the replay rang.
        Path p = tampered(NO_DOORBELL, d -> ((ObjectNode) vars(d, 3).get("doorbell")).put("c1", 1));
        ReplayResult r = TraceReplay.replay(ROOT, p);
        assertNotNull(r.divergence(), r.summary());
        assertTrue(r.divergence().startsWith("state 3 (NicFetch(c = c1)), variable doorbell"), r.divergence());
        assertTrue(r.divergence().endsWith("doorbell[c1]: trace has 1, Java has 0"), r.divergence());
    }

    @Test
    void aStepJavaRefusesEndsTheReplay() throws Exception {
        // Page 2 belongs to the hypervisor in state 3, so g1 cannot free it.
        Path p = tampered(NO_PINNING, d -> ((ObjectNode) state(d, 4).get("params")).put("p", 2));
        ReplayResult r = TraceReplay.replay(ROOT, p);
        assertFalse(r.reproduced());
        assertEquals("state 4 (FreePage(g = g1, p = 2)): a step of the spec, but Java refuses the step (its method returned false)",
                r.divergence());
        assertEquals(2, r.stepsApplied());
    }

    @Test
    void setOrderAndTheFormOfAFunctionDoNotMatter() throws Exception {
        // TLC prints a function on 1..n as a sequence; written out as a function it is the same value.
        Path p = tampered(NO_PINNING, d -> {
            for (JsonNode s : d.get("states")) {
                ObjectNode v = (ObjectNode) s.get("vars");
                ObjectNode fn = JSON.createObjectNode();
                for (int i = v.get("owner").size(); i >= 1; i--) fn.set(Integer.toString(i), v.get("owner").get(i - 1));
                v.set("owner", fn);
            }
        });
        ReplayResult r = TraceReplay.replay(ROOT, p);
        assertTrue(r.reproduced(), r.summary());

        JsonNode ab = JSON.readTree("{\"$set\": [{\"page\": \"p1\", \"off\": 0}, {\"page\": \"p1\", \"off\": 1}]}");
        JsonNode ba = JSON.readTree("{\"$set\": [{\"off\": 1, \"page\": \"p1\"}, {\"off\": 0, \"page\": \"p1\"}]}");
        assertEquals(Values.normalize(ab), Values.normalize(ba));
        JsonNode other = JSON.readTree("{\"$set\": [{\"off\": 1, \"page\": \"p1\"}, {\"off\": 0, \"page\": \"p2\"}]}");
        assertNotNull(Values.difference("s", Values.normalize(ab), Values.normalize(other)));
    }

    // ------------------------------------------------------------------ what the checker flags

    @Test
    void aTraceCutBeforeTheViolationIsNotReproduced() throws Exception {
        Path p = tampered(NO_PINNING, d -> {
            ((ArrayNode) d.get("states")).remove(3);
            d.put("length", 3);
        });
        ReplayResult r = TraceReplay.replay(ROOT, p);
        assertNull(r.divergence());
        assertFalse(r.reproduced());
        assertTrue(r.flagged().isEmpty(), r.flagged().toString());
        assertTrue(r.summary().endsWith("NOT REPRODUCED (3 states agree, but the checker flags none of [InterGuestIsolation])"), r.summary());
    }

    @Test
    void aFlagEarlierThanTlcsStateIsNotReproduced() throws Exception {
        // IntraGuestProtection already fails at state 6 of this trace, before TLC's Inter violation at state 7.
        Path p = tampered(NO_SEQ, d -> d.put("property", "IntraGuestProtection"));
        ReplayResult r = TraceReplay.replay(ROOT, p);
        assertNull(r.divergence());
        assertFalse(r.reproduced());
        assertTrue(r.summary().endsWith("the checker flags IntraGuestProtection at state 6, where TLC found it at state 7)"), r.summary());
    }

    @Test
    void aPropertyTheCheckerDoesNotKnowIsNotReproduced() throws Exception {
        ReplayResult r = TraceReplay.replay(ROOT, tampered(NO_PINNING, d -> d.put("property", "TypeOK")));
        assertFalse(r.reproduced());
        assertTrue(r.summary().contains("the Java checker has no property for TypeOK"), r.summary());
    }

    // ------------------------------------------------------------------ malformed traces

    @Test
    void malformedJsonNamesFileLineAndWhatWasExpected() throws Exception {
        String text = Files.readString(trace(NO_PINNING));
        int line = lineOf(text, "\"length\"");
        String broken = text.replaceFirst("(\"length\" : \\d+),", "$1");
        Path p = tmp.resolve("broken.json");
        Files.writeString(p, broken);
        InputException e = assertThrows(InputException.class, () -> TraceReplay.replay(ROOT, p));
        assertTrue(e.getMessage().startsWith(p + ":" + (line + 1) + ":"), e.getMessage());
        assertTrue(e.getMessage().contains("malformed JSON") && e.getMessage().contains("expecting comma"), e.getMessage());
    }

    @Test
    void aStateWithoutVariablesNamesTheStatesLine() throws Exception {
        Path p = tampered(NO_PINNING, d -> state(d, 2).remove("vars"));
        String text = Files.readString(p);
        int line = lineOf(text, "\"index\" : 2") - 1;
        InputException e = assertThrows(InputException.class, () -> TraceReplay.replay(ROOT, p));
        assertTrue(e.getMessage().startsWith(p + ":" + line + ":"), e.getMessage());
        assertTrue(e.getMessage().endsWith("missing required field \"vars\""), e.getMessage());
    }

    @Test
    void aParameterOfTheWrongTypeNamesItsLine() throws Exception {
        Path p = tampered(NO_PINNING, d -> ((ObjectNode) state(d, 2).get("params")).put("p", "one"));
        int line = lineOf(Files.readString(p), "\"p\" : \"one\"");
        InputException e = assertThrows(InputException.class, () -> TraceReplay.replay(ROOT, p));
        assertTrue(e.getMessage().startsWith(p + ":" + line + ":"), e.getMessage());
        assertTrue(e.getMessage().endsWith("expected p to be an integer, found a string"), e.getMessage());
    }

    @Test
    void anUnknownActionOrModelOrAMissingVariableIsLocated() throws Exception {
        Path action = tampered(NO_PINNING, d -> state(d, 3).put("action", "Teleport"));
        InputException e1 = assertThrows(InputException.class, () -> TraceReplay.replay(ROOT, action));
        assertTrue(e1.getMessage().startsWith(action + ":" + lineOf(Files.readString(action), "Teleport") + ":"), e1.getMessage());
        assertTrue(e1.getMessage().contains("expected an action of the spec"), e1.getMessage());

        Path model = tampered(NO_PINNING, d -> d.put("model", "no-such-model"));
        InputException e2 = assertThrows(InputException.class, () -> TraceReplay.replay(ROOT, model));
        assertTrue(e2.getMessage().startsWith(model + ":2:"), e2.getMessage());
        assertTrue(e2.getMessage().contains("model \"no-such-model\" is not in"), e2.getMessage());

        Path missing = tampered(DEFERRED, d -> vars(d, 3).remove("unflushed"));
        InputException e3 = assertThrows(InputException.class, () -> TraceReplay.replay(ROOT, missing));
        assertTrue(e3.getMessage().contains("state 3 lacks variable unflushed"), e3.getMessage());
    }
}
