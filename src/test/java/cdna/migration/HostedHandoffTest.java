package cdna.migration;

import cdna.design.Design;
import cdna.design.Switch;
import cdna.sim.Violation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The migration over the reference implementation on host A
 * ({@link HostedHandoff}): seeded random runs with migrations at random
 * moments while the other, malicious, guest keeps DMA in flight and takes
 * every page A frees, each DMA access judged by the isolation checker; and
 * TLC's shortest counterexample of migration-release-before-stop replayed
 * over the real host.  The seed is printed; -Dcdna.seed=N reproduces a run.
 *
 * <p>What it establishes: the safe protocol breaks nothing on A under CDNA
 * and under the IOMMU; releasing the pages before the context stops, which
 * the spec flags (NoDmaAfterRelease), is no foreign DMA on either real
 * baseline, because the layer below keeps the page (CDNA's pin refuses the
 * free, and the DMA lands in the guest's page, a write B never gets; the
 * IOMMU unmaps the page before freeing it, and the DMA faults); it becomes a
 * real foreign DMA write, InterGuestIsolation on A, when that layer does not
 * (no pinning; deferred IOTLB invalidation); and every other known-bad design
 * breaks its property over the real hosts, NoLostWrite in real bytes, and
 * NoMisdelivery in where A's NIC queues a late frame for the guest's MAC: the
 * hypervisor programs the receive filters, and only a filter left in place at
 * release (migration-keep-mac-filter) hands the frame to the other guest.
 */
class HostedHandoffTest {
    static final int RUNS = 1000;
    static final int STEPS = 150;
    static final HandoffConfig SIZE = new HandoffConfig(4, 2, 6, 3, true, true);

    static long seed() {
        long seed = Long.getLong("cdna.seed", 20261205L);
        System.out.println("HostedHandoffTest: seed=" + seed + " (reproduce with -Dcdna.seed=" + seed + ")");
        return seed;
    }

    /** A design with the pages released as soon as the context is unplugged (migration-release-before-stop's switch). */
    static Design releasingEarly(Design d) { return d.with(d.name() + "+release-before-stop", Switch.ReleaseAfterStop, false); }

    /** What a batch of random runs did. */
    record Runs(int twinFlagged, int realOldContext, int realOldContextAccess, String firstReal, long freesRefused,
                long dmaRefused, long otherTook, long unpluggedInFlight, long accesses, int completed, long misdelivered,
                String firstAccess, java.util.Map<String, Integer> hosted, java.util.Map<String, String> hostedOnly) {}

    static Runs runs(Design d, long seed) {
        int twin = 0, old = 0, access = 0, completed = 0;
        long refused = 0, faulted = 0, took = 0, inFlight = 0, accesses = 0, misdelivered = 0;
        String any = null, first = null;
        // Runs in which each property fails at some state, judged over the real hosts; and, for each, a run where the twin alone does not see it.
        java.util.Map<String, Integer> hosted = new java.util.TreeMap<>();
        java.util.Map<String, String> hostedOnly = new java.util.TreeMap<>();
        for (int r = 0; r < RUNS; r++) {
            HostedHandoff h = new HostedHandoff(SIZE, d);
            SplittableRandom rnd = new SplittableRandom(seed + r);
            List<String> steps = new java.util.ArrayList<>();
            boolean flagged = false;
            java.util.Set<String> seen = new java.util.TreeSet<>(), twinSeen = new java.util.TreeSet<>();
            for (int i = 0; i < STEPS; i++) {
                String s = h.randomStep(rnd, 2);
                if (s == null) break;
                steps.add(s);
                // At any state, as TLC checks an invariant (the reach is gone again once the context is reset).
                twinSeen.addAll(HandoffChecker.violations(h.twin()).keySet());
                flagged |= twinSeen.contains(HandoffChecker.NO_DMA_AFTER_RELEASE);
                for (var e : HandoffChecker.violations(h).entrySet()) {
                    if (seen.add(e.getKey()) && !twinSeen.contains(e.getKey())) {
                        hostedOnly.putIfAbsent(e.getKey(), "run seed " + (seed + r) + ": " + e.getValue() + "\n  steps: " + steps);
                    }
                }
            }
            for (String p : seen) hosted.merge(p, 1, Integer::sum);
            if (flagged) twin++;
            RealSourceHost a = h.hostA();
            List<Violation> v = a.oldContextViolations();
            assertEquals(!v.isEmpty(), HandoffChecker.violations(h).containsKey(HandoffChecker.NO_DMA_AFTER_RELEASE));
            if (!v.isEmpty()) old++;
            for (Violation x : v) {
                if (x.kind() == Violation.Kind.ACCESS) {
                    access++;
                    if (first == null) first = "run seed " + (seed + r) + ": " + x + "\n  steps: " + steps;
                    break;
                }
            }
            if (any == null && !a.violations().isEmpty()) any = "run seed " + (seed + r) + ": " + a.violations() + "\n  steps: " + steps;
            if (h.twin().b.vm == DestinationHost.Vm.RUNNING && a.pagesOfM().isEmpty()) completed++;
            refused += a.freesRefused();
            faulted += a.oldContextDmaRefused();
            took += a.otherTookPage();
            inFlight += a.unpluggedWithDmaInFlight();
            accesses += a.accesses();
            misdelivered += a.misdelivered();
        }
        Runs out = new Runs(twin, old, access, any, refused, faulted, took, inFlight, accesses, completed, misdelivered, first, hosted, hostedOnly);
        System.out.printf("%s: twin flags NoDmaAfterRelease in %d runs; on A: old context InterGuestIsolation in %d (a write in %d), frees refused %d,"
                        + " old DMA refused by the IOMMU %d, pages O took %d, unplugs with DMA in flight %d, DMA accesses %d, completed %d,"
                        + " frames for M's MAC queued for O %d%n  properties failing over the real hosts (runs): %s%n  first real violation: %s%n",
                d.name(), twin, old, access, refused, faulted, took, inFlight, accesses, completed, misdelivered, hosted,
                any == null ? "none" : any.lines().findFirst().orElse(""));
        return out;
    }

    @Test
    void theSafeProtocolBreaksNothingOnTheRealHostUnderCdnaAndTheIommu() {
        long seed = seed();
        for (Design d : List.of(Design.cdnaBaseline(), Design.iommuBaseline())) {
            Runs r = runs(d, seed);
            assertEquals(0, r.twinFlagged(), d.name());
            assertEquals(null, r.firstReal(), d.name() + ": the isolation checker on A");
            assertEquals(java.util.Map.of(), r.hosted(), d.name() + ": the migration's properties over the real hosts");
            assertEquals(0, r.misdelivered(), d.name() + ": frames for M's MAC queued for O on A");
            // The runs mean something: migrations complete, some unplugged with DMA in flight, O reuses pages, DMA flows.
            assertTrue(r.completed() > RUNS / 10, d.name() + ": too few migrations completed: " + r.completed());
            assertTrue(r.unpluggedInFlight() > 0, d.name() + ": never unplugged with DMA in flight");
            assertTrue(r.otherTook() > RUNS / 4, d.name() + ": O took too few pages: " + r.otherTook());
            assertTrue(r.accesses() > RUNS, d.name() + ": too little DMA: " + r.accesses());
        }
    }

    @Test
    void releaseBeforeStopIsFlaggedByTheSpecButHarmlessOnBothRealBaselines() {
        long seed = seed();
        Design cdna = HandoffTest.load("migration-release-before-stop");
        Runs c = runs(cdna, seed);
        assertTrue(c.twinFlagged() > 0, "the twin never flags NoDmaAfterRelease");
        assertEquals(null, c.firstReal(), "CDNA: the isolation checker on A");
        assertFalse(c.hosted().containsKey(HandoffChecker.NO_DMA_AFTER_RELEASE), "CDNA: " + c.hosted());
        // Why: the descriptor in flight pins its page, and the hypervisor refuses to free a pinned page.
        assertTrue(c.freesRefused() > 0, "CDNA: no free was ever refused");
        // The price: the DMA lands in the page A kept, which the migration had let go of, so B never gets it.
        assertTrue(c.hostedOnly().containsKey(HandoffChecker.NO_LOST_WRITE), "CDNA: no write lost in the pinned page: " + c.hosted());
        System.out.println("  lost in the pinned page: " + c.hostedOnly().get(HandoffChecker.NO_LOST_WRITE).lines().findFirst().orElse(""));

        Runs i = runs(releasingEarly(Design.iommuBaseline()), seed);
        assertTrue(i.twinFlagged() > 0, "the twin never flags NoDmaAfterRelease");
        assertEquals(null, i.firstReal(), "IOMMU: the isolation checker on A");
        assertEquals(java.util.Map.of(), i.hosted(), "IOMMU: over the real hosts");
        // Why: freeing the page unmaps it first (strict invalidation), so the DMA in flight faults.
        assertTrue(i.dmaRefused() > 0, "IOMMU: the old context's DMA was never refused");
    }

    @Test
    void releaseBeforeStopIsARealForeignDmaWhereTheLayerLetsThePageGo() {
        long seed = seed();
        for (String layer : List.of("cdna-no-pinning", "iommu-deferred-reuse")) {
            Design d = HandoffTest.load(layer);
            Runs early = runs(releasingEarly(d), seed);
            assertTrue(early.realOldContextAccess() > 0, layer + " releasing early: no DMA of M's old context landed outside M's pages");
            System.out.println("  first: " + early.firstAccess());
            // The safe protocol does not lean on the layer: after the reset and flush nothing is left in flight.
            Runs safe = runs(d, seed);
            assertEquals(0, safe.realOldContext(), layer + " with the safe protocol");
        }
    }

    // ------------------------------------------------------------------ TLC's counterexample, over the real host

    /** The steps of a kept TLC trace, as [action, f, p]. */
    static List<Object[]> traceSteps(String file) throws Exception {
        JsonNode t = new ObjectMapper().readTree(Path.of("src/test/resources/cdna/conformance/traces", file).toFile());
        List<Object[]> r = new java.util.ArrayList<>();
        for (JsonNode s : t.get("states")) {
            String a = s.get("action").asText();
            if (a.equals("Init")) continue;
            JsonNode ps = s.get("params");
            r.add(new Object[] {a, ps != null && ps.has("f") ? ps.get("f").asInt() : 0, ps != null && ps.has("p") ? ps.get("p").asInt() : 0});
        }
        return r;
    }

    /** TLC's counterexample, then the other guest takes page 1 and the DMA in flight lands. */
    static HostedHandoff counterexample(Design d) throws Exception {
        HostedHandoff h = new HostedHandoff(HandoffConfig.small(true), d);
        for (Object[] s : traceSteps("migration-small--migration-release-before-stop--NoDmaAfterRelease.json")) {
            assertTrue(h.take((String) s[0], (Integer) s[1], (Integer) s[2]), "the twin refuses " + s[0]);
        }
        assertTrue(HandoffChecker.violations(h.twin()).containsKey(HandoffChecker.NO_DMA_AFTER_RELEASE), "the twin flags it, as TLC does");
        assertTrue(h.take("OtherTakesPage", 0, 1));
        assertTrue(h.take("DeviceWrite", 0, 0));
        return h;
    }

    @Test
    void theSpecsCounterexampleOnTheRealCdnaHostLandsInAPageStillPinned() throws Exception {
        HostedHandoff h = counterexample(HandoffTest.load("migration-release-before-stop"));
        RealSourceHost a = h.hostA();
        assertEquals(Handoff.M, a.owner(1), "the pinned page stays M's");
        assertEquals(1, a.freesRefused());
        assertEquals(List.of(), a.violations());
        assertEquals(java.util.Map.of(), HandoffChecker.violations(h), "over the real host nothing is broken");
        assertTrue(h.divergences().stream().anyMatch(x -> x.startsWith("ReleasePages")), h.divergences().toString());
        assertTrue(h.divergences().stream().anyMatch(x -> x.startsWith("OtherTakesPage(1)")), h.divergences().toString());
        // After the reset the pin is gone and A frees the page.
        assertTrue(h.take("QuiesceContext", 0, 0));
        assertEquals("Hyp", a.owner(1));
    }

    @Test
    void theSpecsCounterexampleOnTheRealIommuHostFaults() throws Exception {
        HostedHandoff h = counterexample(releasingEarly(Design.iommuBaseline()));
        RealSourceHost a = h.hostA();
        assertEquals(Handoff.O, a.owner(1), "O took the page");
        assertEquals(1, a.oldContextDmaRefused(), "the IOMMU refused the DMA in flight");
        assertEquals(List.of(), a.violations());
        assertEquals(java.util.Map.of(), HandoffChecker.violations(h), "over the real host nothing is broken");
    }

    @Test
    void theSpecsCounterexampleIsARealForeignDmaWithoutPinning() throws Exception {
        HostedHandoff h = counterexample(releasingEarly(HandoffTest.load("cdna-no-pinning")));
        List<Violation> v = h.hostA().oldContextViolations();
        assertFalse(v.isEmpty());
        Violation access = v.stream().filter(x -> x.kind() == Violation.Kind.ACCESS).findFirst().orElseThrow();
        assertEquals(1, access.page());
        assertEquals(Handoff.O, access.pageOwner());
        // Seen first as the spec's invariant (REACH: the device can reach the freed page), then as the write itself.
        assertTrue(HandoffChecker.violations(h).containsKey(HandoffChecker.NO_DMA_AFTER_RELEASE));
        assertTrue(HandoffChecker.violations(h).containsKey(Violation.INTER));
        System.out.println("cdna-no-pinning, release before stop: " + access);
    }

    /**
     * Three frames for M sent before the migration, then the protocol to the end: the context
     * released and, unless {@code toOther} is false, given to O.  The frames are still in flight.
     */
    static HostedHandoff migratedWithLateFrames(Design d, boolean bHasCdna, boolean toOther) {
        HostedHandoff h = new HostedHandoff(new HandoffConfig(3, 2, 3, 3, bHasCdna, true), d);
        for (String a : List.of("SendFrame", "SendFrame", "SendFrame", "StartMigration", "Failover", "RequestUnplug", "UnplugDone",
                "QuiesceContext", "Stop", "CopyPage1", "CopyPage2", "StopCopyDone", "Resume", "AttachDirectB", "RunOnB", "ReleasePages",
                "ReleaseContext", "AssignToOther")) {
            if (a.equals("AttachDirectB") && !bHasCdna || a.equals("AssignToOther") && !toOther) continue;
            boolean took = a.startsWith("CopyPage") ? h.take("CopyPage", 0, a.charAt(8) - '0') : h.take(a, 0, 0);
            assertTrue(took, a);
        }
        return h;
    }

    @Test
    void withClearMacOnReleaseALateFrameForTheGuestReachesNobodyOnTheRealHost() {
        for (Design d : List.of(Design.cdnaBaseline(), Design.iommuBaseline())) {
            for (boolean bHasCdna : List.of(true, false)) {
                String what = d.name() + (bHasCdna ? ", B with CDNA" : ", B without");
                HostedHandoff h = migratedWithLateFrames(d, bHasCdna, true);
                var nic = h.hostA().system().nic();
                int cm = h.hostA().system().ctx(RealSourceHost.CM);
                assertFalse(nic.macs(cm).stream().anyMatch(RealSourceHost.MAC_M::equalsIgnoreCase),
                        what + ": M's address left on cM: " + nic.macs(cm));
                assertEquals(Handoff.O, h.hostA().system().ctxOwner(cm), what);
                long dropped = nic.dropped();
                for (int f = 1; f <= 3; f++) assertTrue(h.take("LandOnA", f, 1), what + ": LandOnA(" + f + ")");
                assertEquals(dropped + 3, nic.dropped(), what + ": the NIC drops each frame: no context claims M's address");
                assertEquals(0, h.hostA().misdelivered(), what);
                assertEquals(java.util.Map.of(), HandoffChecker.violations(h), what + ": over the real hosts");
                assertEquals(List.of(), h.divergences(), what + ": the twin and the real host agree");
            }
        }
    }

    @Test
    void keepingTheMacFilterIsARealMisdeliveryOnA() {
        for (boolean bHasCdna : List.of(true, false)) {
            // Released and not yet given to O: the filter still names M, but a free context takes no frames.
            HostedHandoff h = migratedWithLateFrames(HandoffTest.load("migration-keep-mac-filter"), bHasCdna, false);
            assertTrue(h.take("LandOnA", 1, 1));
            assertEquals(0, h.hostA().misdelivered());
            assertFalse(HandoffChecker.violations(h).containsKey(HandoffChecker.NO_MISDELIVERY));
            // Given to O with M's address left on it: the next two frames for M are queued for O.
            assertTrue(h.take("AssignToOther", 0, 0));
            assertTrue(h.take("LandOnA", 2, 1));
            assertTrue(h.take("LandOnA", 3, 2));
            assertEquals(2, h.hostA().misdelivered(), "the real NIC queued M's frames on cM, which is O's");
            String why = HandoffChecker.violations(h).get(HandoffChecker.NO_MISDELIVERY);
            assertTrue(why != null && why.contains("queued 2 frame(s)"), "NoMisdelivery on A: " + HandoffChecker.violations(h));
            assertTrue(HandoffChecker.violations(h.twin()).containsKey(HandoffChecker.NO_MISDELIVERY), "the spec says so too");
            assertEquals(List.of(), h.divergences(), "the twin and the real host agree");
            assertEquals(List.of(), h.hostA().violations(), "A's isolation holds: the frame is O's context's to DMA");
            System.out.println("migration-keep-mac-filter" + (bHasCdna ? "" : ", B without CDNA") + ": " + why);
        }
    }

    @Test
    void theOtherBadDesignsBreakTheirPropertyOverTheRealHostWithoutTouchingIsolationOnA() {
        long seed = seed();
        java.util.Map<String, String> named = java.util.Map.of(
                "migration-dma-not-logged", HandoffChecker.NO_LOST_WRITE,
                "migration-resume-before-stop-copy", HandoffChecker.NO_LOST_WRITE,
                "migration-unplug-without-failover", HandoffChecker.CANCEL_SAFE,
                "migration-b-runs-before-a-stops", HandoffChecker.NO_DOUBLE_RUN,
                "migration-keep-mac-filter", HandoffChecker.NO_MISDELIVERY);
        for (var e : named.entrySet()) {
            Design d = HandoffTest.load(e.getKey());
            String found = null;
            for (int r = 0; r < 20 * RUNS && found == null; r++) {
                HostedHandoff h = new HostedHandoff(SIZE, d);
                SplittableRandom rnd = new SplittableRandom(seed + r);
                for (int i = 0; i < STEPS && h.randomStep(rnd, 2) != null && found == null; i++) {
                    // Judged over the real hosts: NoLostWrite in the bytes of A's and B's memory.
                    String why = HandoffChecker.violations(h).get(e.getValue());
                    if (why != null) found = "run seed " + (seed + r) + ", step " + i + ": " + why;
                }
                // These designs change the handoff, not A's protection: A's isolation holds in every run.
                assertEquals(List.of(), h.hostA().violations(), e.getKey() + " run seed " + (seed + r));
            }
            assertTrue(found != null, e.getKey() + ": no " + e.getValue() + " from seed " + seed);
            System.out.println(e.getKey() + " breaks " + e.getValue() + " over the real hosts in " + found);
        }
    }

    @Test
    void everyKeptSafetyCounterexampleReplaysOverTheRealHosts() throws Exception {
        java.util.List<Path> traces;
        try (var files = java.nio.file.Files.list(Path.of("src/test/resources/cdna/conformance/traces"))) {
            traces = files.filter(p -> p.getFileName().toString().startsWith("migration-small--")).sorted().toList();
        }
        assertEquals(8, traces.size(), "the kept safety counterexamples of migration-small: " + traces);
        for (Path t : traces) {
            JsonNode json = new ObjectMapper().readTree(t.toFile());
            String property = json.get("property").asText();
            HostedHandoff h = new HostedHandoff(HandoffConfig.small(true), HandoffTest.load(json.get("design").asText()));
            for (Object[] s : traceSteps(t.getFileName().toString())) {
                assertTrue(h.take((String) s[0], (Integer) s[1], (Integer) s[2]), t.getFileName() + ": the twin refuses " + s[0]);
            }
            var v = HandoffChecker.violations(h);
            assertEquals(List.of(), h.hostA().violations(), t.getFileName() + ": A's isolation");
            if (property.equals(HandoffChecker.NO_DMA_AFTER_RELEASE)) {
                // The divergence: the pin keeps the page, so over the real host the release takes nothing the DMA can reach.
                assertFalse(v.containsKey(property), t.getFileName() + ": " + v);
                assertEquals(1, h.hostA().freesRefused());
            } else {
                assertTrue(v.containsKey(property), t.getFileName() + ": not flagged over the real hosts: " + v);
            }
            System.out.println(t.getFileName() + " over the real hosts: " + v);
        }
    }

    @Test
    void tooManyViolationsToTellWhoseFailClosed() {
        // Without pinning O frees its own page under its DMA in flight, over and over: more violations than the checker keeps.
        HostedHandoff h = new HostedHandoff(SIZE, HandoffTest.load("cdna-no-pinning"));
        cdna.sim.HostSystem a = h.hostA().system();
        int page = SIZE.aPages() + 1;
        for (int i = 0; i < 300; i++) {
            a.allocatePage(Handoff.O, page);
            a.as(Handoff.O).postDescriptor(RealSourceHost.CO, cdna.nic.Dir.RX, new cdna.hypervisor.Buffer(a.memory().pageStart(page), 4));
            a.as(Handoff.O).ringDoorbell(RealSourceHost.CO, cdna.nic.Dir.RX, a.hypervisor().prod(a.ctx(RealSourceHost.CO), cdna.nic.Dir.RX));
            a.freePage(Handoff.O, page);
            a.nicFetch(RealSourceHost.CO, cdna.nic.Dir.RX);
            a.nicDma(RealSourceHost.CO, cdna.nic.Dir.RX);
            a.reapCompletions(RealSourceHost.CO, cdna.nic.Dir.RX);
        }
        assertTrue(a.checker().counts().values().stream().mapToLong(Long::longValue).sum() > a.checker().violations().size());
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> HandoffChecker.violations(h));
        assertTrue(e.getMessage().contains("cannot be told"), e.getMessage());
    }
}
