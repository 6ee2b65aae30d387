package cdna.conformance;

import cdna.json.InputException;
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
import java.util.function.Consumer;

import static cdna.conformance.TraceReplayTest.JSON;
import static cdna.conformance.TraceReplayTest.ROOT;
import static cdna.conformance.TraceReplayTest.lineOf;
import static cdna.conformance.TraceReplayTest.state;
import static cdna.conformance.TraceReplayTest.trace;
import static cdna.conformance.TraceReplayTest.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ContextOwnership counterexamples replayed on Java.  The kept traces come
 * from {@code bin/cdna check}: the small ownership models (every property the
 * manifest expects violated, one design each), the interrupt half with 3
 * guests and 3 contexts (MCOwnershipInterrupts, MCOwnershipInterruptsLiveness),
 * and the NoLostInterrupt lasso of MCOwnershipLiveness.  The
 * InterGuestIsolation and IntraGuestProtection traces of
 * ownership-small were made the same way with a manifest (--manifest) that
 * expects those properties violated too: the manifest lists only the first
 * property each bad design breaks, and the model (cfg and design) is the same.
 */
class OwnershipTraceReplayTest {
    static final String SMALL = "ownership-small--";
    static final String KEEP = SMALL + "cdna-keep-guest-mappings--SingleOwner";
    static final String MISDIRECTED = SMALL + "cdna-deliver-to-current-owner--NoMisdirectedInterrupt";
    static final String IOMMU_STALE = SMALL + "iommu-domain-change-without-flush--NoStaleDma";
    static final String REASSIGN_INTER = SMALL + "cdna-reassign-without-quiesce--InterGuestIsolation";
    static final String LASSO = "ownership-liveness-small--cdna-clear-vector-before-scan--NoLostInterrupt";
    static final String LASSO3 = "ownership-interrupts-liveness--cdna-clear-vector-before-scan--NoLostInterrupt";
    static final String CLEARED_AT_STOP = "ownership-liveness-small--cdna-stop-clears-interrupt--NoLostInterrupt";
    static final Path UNLISTED = ROOT.resolve("src/test/resources/cdna/conformance/unlisted");

    /** Each kept safety trace, what the checker must flag, and at which state (the trace's last). */
    record Kept(String name, String flag, int state) {}

    static final List<Kept> SAFETY = List.of(
            new Kept(SMALL + "cdna-reassign-without-quiesce--NoStaleDma", "NoStaleDma", 6),
            new Kept(SMALL + "cdna-drain-without-reset--NoStaleDma", "NoStaleDma", 6),
            new Kept(IOMMU_STALE, "NoStaleDma", 6),
            new Kept(KEEP, "SingleOwner", 6),
            new Kept("ownership-interrupts--cdna-keep-guest-mappings--SingleOwner", "SingleOwner", 6),
            // Without remapping a directly driven device can raise any vector from the start: TLC's Init violates it.
            new Kept(SMALL + "iommu-no-interrupt-remapping--NoInjectedInterrupt", "NoInjectedInterrupt", 1),
            // An MSI written by DMA: a buffer validated by its first page runs into the interrupt range (page 3).
            new Kept("ownership-private--cdna-msi-through-unchecked-page--NoInjectedInterrupt", "NoInjectedInterrupt", 3),
            new Kept(MISDIRECTED, "NoMisdirectedInterrupt", 7),
            new Kept("ownership-interrupts--cdna-deliver-to-current-owner--NoMisdirectedInterrupt", "NoMisdirectedInterrupt", 7),
            new Kept(REASSIGN_INTER, "InterGuestIsolation", 8),
            new Kept(SMALL + "cdna-drain-without-reset--IntraGuestProtection", "IntraGuestProtection", 7),
            new Kept(SMALL + "iommu-domain-change-without-flush--InterGuestIsolation", "InterGuestIsolation", 8),
            new Kept(SMALL + "iommu-domain-change-without-flush--IntraGuestProtection", "IntraGuestProtection", 6),
            // XSA-302: UnmapContext puts c1's requester ID in the hardware domain, which maps the private page 3.
            new Kept("ownership-private--iommu-deassign-to-hardware-domain--NoStaleDma", "NoStaleDma", 4));

    @TempDir
    Path tmp;

    Path tampered(String name, Consumer<ObjectNode> edit) throws IOException {
        return TraceReplayTest.tampered(tmp, name, edit);
    }

    // ------------------------------------------------------------------ safety properties

    @TestFactory
    List<DynamicTest> everyOwnershipSafetyTraceReproduces() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Kept k : SAFETY) {
            tests.add(DynamicTest.dynamicTest(k.name(), () -> {
                ReplayResult r = TraceReplay.replay(ROOT, trace(k.name()));
                assertTrue(r.reproduced(), r.summary() + "\n" + String.join("\n", r.notes()));
                assertNull(r.divergence());
                assertEquals(k.state(), r.states());
                assertEquals(r.states() - 1, r.stepsApplied());
                assertTrue(r.flagged().contains(k.flag() + "@" + k.state() + " (REACH)"), r.flagged().toString());
                assertTrue(r.summary().endsWith("reproduced (" + k.state() + " states agree; the checker flags " + k.flag()
                        + " at state " + k.state() + ")"), r.summary());
            }));
        }
        return tests;
    }

    @Test
    void bothLayersAndBothHalvesAreCovered() throws IOException {
        assertTrue(SAFETY.stream().anyMatch(k -> k.name().contains("--iommu-")));
        assertTrue(SAFETY.stream().anyMatch(k -> k.name().contains("--cdna-")));
        for (String p : List.of("SingleOwner", "NoStaleDma", "NoMisdirectedInterrupt", "NoInjectedInterrupt", "InterGuestIsolation",
                "IntraGuestProtection")) {
            assertTrue(SAFETY.stream().anyMatch(k -> k.name().endsWith("--" + p)), p);
        }
        // Every ownership trace kept is checked here.
        try (var s = Files.list(TraceReplayTest.TRACES)) {
            for (Path f : s.filter(x -> x.getFileName().toString().startsWith("ownership")).toList()) {
                String name = f.getFileName().toString().replaceFirst("\\.json$", "");
                assertTrue(name.equals(LASSO) || name.equals(LASSO3) || name.equals(CLEARED_AT_STOP) || SAFETY.stream().anyMatch(k -> k.name().equals(name)), name);
            }
        }
    }

    // ------------------------------------------------------------------ NoLostInterrupt lassos

    @Test
    void aLassoIsClosedOnJavaAndTheEventStaysOwed() throws Exception {
        ReplayResult r = TraceReplay.replay(ROOT, trace(LASSO));
        assertTrue(r.reproduced(), r.summary() + "\n" + String.join("\n", r.notes()));
        assertNull(r.divergence());
        // 13 steps of stem and cycle, the loop step, and a second turn (6 steps and the loop step again).
        assertEquals(13 + 1 + 6 + 1, r.stepsApplied());
        assertTrue(r.summary().contains("Java is back in state 8 after each turn"), r.summary());
        assertTrue(r.summary().contains("owedTo[c1] = g1 in every state of the cycle, so g1's event of c1 is never delivered"),
                r.summary());
        assertTrue(r.summary().contains("the checker flags NoLostInterrupt (LIVENESS) for c1 and g1 at state 7"), r.summary());
        assertTrue(r.notes().contains("the trace is a lasso: the cycle is states 8..14 and the loop step AllocatePage(g = g2, p = 2) back to state 8"),
                r.notes().toString());
    }

    @Test
    void theThreeContextLassoOfTheInterruptHalfReproduces() throws Exception {
        ReplayResult r = TraceReplay.replay(ROOT, trace(LASSO3));
        assertTrue(r.reproduced(), r.summary() + "\n" + String.join("\n", r.notes()));
        assertTrue(r.summary().contains("Java is back in state 6 after each turn"), r.summary());
        assertTrue(r.summary().contains("owedTo[c1] = g1 in every state of the cycle"), r.summary());
    }

    /**
     * A revocation that clears the pending bits without the last virtual interrupt: g1's event
     * is owed from NicRaise on, and after the context went to g2 and stopped again nothing of
     * the interrupt path is enabled, so TLC's behaviour may stutter there with the event still
     * owed.  Java agrees state for state and its checker reports the lost interrupt.
     */
    @Test
    void anInterruptClearedAtRevocationIsLostOnJava() throws Exception {
        ReplayResult r = TraceReplay.replay(ROOT, trace(CLEARED_AT_STOP));
        assertTrue(r.reproduced(), r.summary() + "\n" + String.join("\n", r.notes()));
        assertNull(r.divergence());
        assertTrue(r.summary().contains("no weakly fair action is enabled in the last one"), r.summary());
        assertTrue(r.flagged().stream().anyMatch(x -> x.startsWith("NoLostInterrupt@") && x.endsWith("(LIVENESS)")), r.flagged().toString());
    }

    @Test
    void aLassoClosedToTheWrongStateDiverges() throws Exception {
        // The loop step NicRaise(c1) leads to state 6, not 7 (where the vector is clear again).
        Path p = tampered(LASSO3, d -> d.put("loopsBackTo", 7));
        ReplayResult r = TraceReplay.replay(ROOT, p);
        assertFalse(r.reproduced());
        assertNotNull(r.divergence(), r.summary());
        assertTrue(r.divergence().startsWith("the loop step NicRaise(c = c1) from state 10 back to state 7, variable vector"),
                r.divergence());
        assertTrue(r.divergence().endsWith("vector: trace has {}, Java has {c1}; only in Java: c1"), r.divergence());
    }

    @Test
    void aStutteringLassoReproducesOnlyWhereNoFairActionIsEnabled() throws Exception {
        // Cut after ScanVector (state 13): nothing of the interrupt path is enabled, g1 is owed c1's event, and
        // the behaviour may stop there (TLC's "Stuttering").
        Path quiet = tampered(LASSO, d -> {
            ((ArrayNode) d.get("states")).remove(13);
            d.put("length", 13);
            d.put("loopsBackTo", -1);
            d.remove("loopStep");
        });
        ReplayResult r = TraceReplay.replay(ROOT, quiet);
        assertTrue(r.reproduced(), r.summary());
        assertTrue(r.summary().contains("all 13 states agree and no weakly fair action is enabled in the last one"), r.summary());

        // Stopping at state 14 instead is not a fair behaviour: ClearVector stays enabled forever.
        Path busy = tampered(LASSO, d -> {
            d.put("loopsBackTo", -1);
            d.remove("loopStep");
        });
        ReplayResult u = TraceReplay.replay(ROOT, busy);
        assertFalse(u.reproduced());
        assertNull(u.divergence());
        assertTrue(u.summary().contains("in Java the cycle is not fair: ClearVector is enabled in every state of the cycle and never taken"),
                u.summary());
    }

    @Test
    void aNoLostInterruptTraceThatIsNotALassoIsNotReproduced() throws Exception {
        Path p = tampered(LASSO, d -> {
            d.putNull("loopsBackTo");
            d.remove("loopStep");
        });
        ReplayResult r = TraceReplay.replay(ROOT, p);
        assertFalse(r.reproduced());
        assertTrue(r.summary().contains("its counterexample is a lasso, but this trace has no \"loopsBackTo\""), r.summary());
    }

    @Test
    void aLassoWithoutItsClosingStepIsNotReproduced() throws Exception {
        Path p = tampered(LASSO, d -> d.remove("loopStep"));
        ReplayResult r = TraceReplay.replay(ROOT, p);
        assertFalse(r.reproduced());
        assertTrue(r.summary().contains("the lasso goes back to state 8, but the trace has no \"loopStep\""), r.summary());
    }

    /**
     * A copy of model-check/ with the models of unlisted/manifest-additions.json
     * added: NoLostInterrupt for the deliver-to-current-owner designs, which the
     * manifest checks only for NoMisdirectedInterrupt, and an IOMMU variant of
     * that design.  Their traces were made by {@code bin/cdna check --root} on
     * such a copy.
     */
    Path rootWithUnlistedModels() throws IOException {
        Path root = tmp.resolve("root");
        Path src = ROOT.resolve("model-check");
        try (var walk = Files.walk(src)) {
            for (Path f : walk.toList()) {
                Path to = root.resolve("model-check").resolve(src.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(to); else Files.copy(f, to);
            }
        }
        Path manifest = root.resolve("model-check/manifest.json");
        ObjectNode doc = (ObjectNode) JSON.readTree(Files.readString(manifest));
        ObjectNode add = (ObjectNode) JSON.readTree(Files.readString(UNLISTED.resolve("manifest-additions.json")));
        for (var e : (Iterable<java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>>) add.get("designs")::fields) {
            for (var model : doc.get("models")) {
                if (model.get("name").asText().equals(e.getKey())) ((ObjectNode) model.get("designs")).setAll((ObjectNode) e.getValue());
            }
        }
        Files.writeString(manifest, JSON.writeValueAsString(doc));
        Files.copy(UNLISTED.resolve("iommu-deliver-to-current-owner.json"), root.resolve("model-check/designs/iommu-deliver-to-current-owner.json"));
        return root;
    }

    @Test
    void aLassoWhoseCycleDeliversToTheNewOwnerReproduces() throws Exception {
        // The cycle takes DeliverVirq(c1), but to g2, who owns c1 now; g1 stays owed the event it raised.
        ReplayResult r = TraceReplay.replay(rootWithUnlistedModels(),
                UNLISTED.resolve("ownership-liveness-small--cdna-deliver-to-current-owner--NoLostInterrupt.json"));
        assertTrue(r.reproduced(), r.summary() + "\n" + String.join("\n", r.notes()));
        assertTrue(r.summary().contains("Java is back in state 9 after each turn"), r.summary());
        assertTrue(r.summary().contains("owedTo[c1] = g1 in every state of the cycle"), r.summary());
    }

    @Test
    void aStutteringLassoUnderAnIommuReproduces() throws Exception {
        // TLC's own "Stuttering" lasso (loopsBackTo -1): c1 went to g2 and was revoked again; nothing is left to deliver.
        ReplayResult r = TraceReplay.replay(rootWithUnlistedModels(),
                UNLISTED.resolve("ownership-liveness-small--iommu-deliver-to-current-owner--NoLostInterrupt.json"));
        assertTrue(r.reproduced(), r.summary() + "\n" + String.join("\n", r.notes()));
        assertTrue(r.summary().contains("all 12 states agree and no weakly fair action is enabled in the last one"), r.summary());

        // The same trace against the project's own manifest: its model is unknown there, and the replay says so.
        InputException e = assertThrows(InputException.class, () -> TraceReplay.replay(ROOT,
                UNLISTED.resolve("ownership-liveness-small--iommu-deliver-to-current-owner--NoLostInterrupt.json")));
        assertTrue(e.getMessage().contains("model \"ownership-liveness-small--iommu-deliver-to-current-owner\" is not in"), e.getMessage());
    }

    // ------------------------------------------------------------------ divergences

    @Test
    void aWrongOwnershipVariableIsReportedAtItsStateAndVariable() throws Exception {
        Path p = tampered(KEEP, d -> {
            ArrayNode only = JSON.createArrayNode().add("g2");
            ((ObjectNode) vars(d, 6).get("holders").get("c1")).set("$set", only);
        });
        ReplayResult r = TraceReplay.replay(ROOT, p);
        assertFalse(r.reproduced());
        assertNotNull(r.divergence(), r.summary());
        assertTrue(r.divergence().startsWith("state 6 (AssignContext(c = c1, g = g2)), variable holders ("), r.divergence());
        assertTrue(r.divergence().endsWith("holders[c1]: trace has {g2}, Java has {g1, g2}; only in Java: g1"), r.divergence());
        assertEquals(5, r.stepsApplied());
        assertTrue(r.summary().contains("DIVERGES at state 6"), r.summary());
    }

    @Test
    void aWrongInterruptVariableIsReported() throws Exception {
        Path p = tampered(MISDIRECTED, d -> vars(d, 2).put("physIrq", false));
        ReplayResult r = TraceReplay.replay(ROOT, p);
        assertFalse(r.reproduced());
        assertTrue(r.divergence().startsWith("state 2 (NicRaise(c = c1)), variable physIrq"), r.divergence());
        assertTrue(r.divergence().endsWith("physIrq: trace has false, Java has true"), r.divergence());
    }

    @Test
    void theLayerNotInUseIsComparedToo() throws Exception {
        // Under an IOMMU the CDNA variables stay at Init; a changed ring slot is a divergence, not ignored.
        Path ring = tampered(IOMMU_STALE, d -> ((ObjectNode) vars(d, 4).get("ring").get("c1").get("0")).put("len", 1));
        ReplayResult r = TraceReplay.replay(ROOT, ring);
        assertTrue(r.divergence().startsWith("state 4 (StopContext(c = c1)), variable ring"), r.divergence());
        assertTrue(r.divergence().endsWith("ring[c1][0].len: trace has 1, Java has 0"), r.divergence());

        // Under software protection the IOMMU variables stay at Init.
        Path unflushed = tampered(KEEP, d -> vars(d, 3).put("unflushed", 1));
        ReplayResult u = TraceReplay.replay(ROOT, unflushed);
        assertTrue(u.divergence().startsWith("state 3 (QuiesceContext(c = c1)), variable unflushed"), u.divergence());
    }

    @Test
    void theIotlbAfterADomainChangeHoldsIntegerPages() throws Exception {
        // ContextOwnership instantiates IommuProtection with Pages <- 1..NPages: a cell's page is a number.
        Path p = tampered(IOMMU_STALE, d -> ((ObjectNode) vars(d, 6).get("iotlb").get("c1").get("$set").get(0)).put("page", "1"));
        ReplayResult r = TraceReplay.replay(ROOT, p);
        assertNotNull(r.divergence(), r.summary());
        assertTrue(r.divergence().contains("variable iotlb"), r.divergence());
    }

    @Test
    void aPipelineStepJavaRefusesEndsTheReplay() throws Exception {
        // Assigning c1 back to its last owner is not a step of the spec, and Java refuses it too.
        Path p = tampered(KEEP, d -> ((ObjectNode) state(d, 6).get("params")).put("g", "g1"));
        ReplayResult r = TraceReplay.replay(ROOT, p);
        assertFalse(r.reproduced());
        assertEquals("state 6 (AssignContext(c = c1, g = g1)): a step of the spec, but Java refuses the step (its method returned false)",
                r.divergence());
    }

    @Test
    void theNicFetchesFromAStoppedContextThroughItsRegister() throws Exception {
        // ModelDoorbell = FALSE: the spec's NIC fetches from c1 after it was unpinned and its page freed.  Nobody
        // holds c1's doorbell, so the replay writes the register.
        Path p = tampered(REASSIGN_INTER, d -> {
            ObjectNode next = d.get("states").get(7).deepCopy();
            next.put("index", 9);
            next.put("action", "NicFetch");
            next.set("params", JSON.createObjectNode().put("c", "c1"));
            ObjectNode v = (ObjectNode) next.get("vars");
            ObjectNode engine = (ObjectNode) v.get("engine").get("c1");
            engine.set("desc", v.get("ring").get("c1").get("0").deepCopy());
            ((ArrayNode) d.get("states")).add(next);
            d.put("length", 9);
        });
        ReplayResult r = TraceReplay.replay(ROOT, p);
        assertNull(r.divergence(), r.summary());
        assertEquals(8, r.stepsApplied());
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("state 9: wrote the doorbell register of c1 := 1 before NicFetch(c1)")),
                r.notes().toString());
        // InterGuestIsolation already held no more at state 8: a trace TLC would have cut there.
        assertFalse(r.reproduced());
    }

    // ------------------------------------------------------------------ malformed traces

    @Test
    void aVariableTheSpecDoesNotHaveNamesFileAndLine() throws Exception {
        Path p = tampered(KEEP, d -> vars(d, 4).put("ghost", true));
        int line = lineOf(Files.readString(p), "\"ghost\"");
        InputException e = assertThrows(InputException.class, () -> TraceReplay.replay(ROOT, p));
        assertTrue(e.getMessage().startsWith(p + ":" + line + ":"), e.getMessage());
        assertTrue(e.getMessage().contains("state 4 has \"ghost\", which is not a variable of the spec; expected [owner, ctxOwner,"),
                e.getMessage());
    }

    @Test
    void aMissingInterruptVariableIsLocated() throws Exception {
        Path p = tampered(MISDIRECTED, d -> vars(d, 3).remove("owedTo"));
        InputException e = assertThrows(InputException.class, () -> TraceReplay.replay(ROOT, p));
        assertTrue(e.getMessage().startsWith(p + ":"), e.getMessage());
        assertTrue(e.getMessage().contains("state 3 lacks variable owedTo"), e.getMessage());
    }

    @Test
    void aBadLoopTargetOrParameterNamesFileAndLine() throws Exception {
        Path back = tampered(LASSO, d -> d.put("loopsBackTo", 99));
        int line = lineOf(Files.readString(back), "\"loopsBackTo\"");
        InputException e = assertThrows(InputException.class, () -> TraceReplay.replay(ROOT, back));
        assertTrue(e.getMessage().startsWith(back + ":" + line + ":"), e.getMessage());
        assertTrue(e.getMessage().endsWith(": expected \"loopsBackTo\" to be a state of the trace (1..14) or -1 (stuttering), found 99"),
                e.getMessage());

        Path guest = tampered(KEEP, d -> ((ObjectNode) state(d, 6).get("params")).put("g", "g9"));
        int gl = lineOf(Files.readString(guest), "\"g9\"");
        InputException e2 = assertThrows(InputException.class, () -> TraceReplay.replay(ROOT, guest));
        assertTrue(e2.getMessage().startsWith(guest + ":" + gl + ":"), e2.getMessage());
        assertTrue(e2.getMessage().endsWith("expected g to be a guest [g1, g2], found \"g9\""), e2.getMessage());

        Path action = tampered(KEEP, d -> state(d, 3).put("action", "Teleport"));
        InputException e3 = assertThrows(InputException.class, () -> TraceReplay.replay(ROOT, action));
        assertTrue(e3.getMessage().startsWith(action + ":" + lineOf(Files.readString(action), "Teleport") + ":"), e3.getMessage());
        assertTrue(e3.getMessage().contains("StopContext, QuiesceContext, UnmapContext, UnpinContext, AssignContext"), e3.getMessage());
    }

    @Test
    void truncatedJsonNamesFileAndLine() throws Exception {
        String text = Files.readString(trace(LASSO));
        Path p = tmp.resolve("truncated.json");
        Files.writeString(p, text.substring(0, text.indexOf("\"physIrq\"")));
        InputException e = assertThrows(InputException.class, () -> TraceReplay.replay(ROOT, p));
        assertTrue(e.getMessage().startsWith(p + ":"), e.getMessage());
        assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
    }
}
