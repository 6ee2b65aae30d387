package cdna.sim;

import cdna.design.Design;
import cdna.design.Mutant;
import cdna.guest.Adversary;
import cdna.guest.FuzzDriver;
import cdna.nic.Dir;
import cdna.sim.Action.*;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every property's oracle catches a bug in the code, not only an unsafe
 * design: for each planted fault ({@link Mutant}, one per property) in the
 * safe cdna-baseline design, the isolation checker reports the property on a
 * directed run, the seeded random search finds it, and the fuzz driver finds
 * it; and the same run on the unchanged code does not report it, so the
 * report is the fault's doing.  Each search prints its seed.
 */
class CodeFaultTest {
    static final Config CFG = Config.tlcSized();
    static final Design SAFE = Design.cdnaBaseline();
    static final long SEED = 0x5EED_C0DEL;

    /** A directed run per fault: the shortest way to its property that we know of. */
    static final Map<Mutant, List<Action>> DIRECTED = new EnumMap<>(Mutant.class);

    static {
        List<Action> handBack = List.of(new StopContext("c1"), new QuiesceContext("c1"), new UnmapContext("c1"),
                new UnpinContext("c1"), new AssignContext("c1", "g2"));
        // Byte 1 (page 1, g1's) and byte 2 (page 2, g2's) in one buffer: only the last page is foreign.
        DIRECTED.put(Mutant.VALIDATE_SKIPS_LAST_PAGE, List.of(new AllocatePage("g1", 1), new AllocatePage("g2", 2),
                new PostDescriptor("g1", "c1", Dir.RX, 1, 2)));
        DIRECTED.put(Mutant.DMA_ONE_BYTE_PAST_BUFFER, List.of(new AllocatePage("g1", 1),
                new PostDescriptor("g1", "c1", Dir.RX, 0, 1), new RingDoorbell("g1", "c1", Dir.RX, 1),
                new NicFetch("c1", Dir.RX), new NicDma("c1", Dir.RX)));
        DIRECTED.put(Mutant.STOP_KEEPS_GUEST_MAPPINGS, handBack);
        List<Action> inFlight = new ArrayList<>(List.of(new AllocatePage("g1", 1), new PostDescriptor("g1", "c1", Dir.RX, 0, 2),
                new RingDoorbell("g1", "c1", Dir.RX, 1), new NicFetch("c1", Dir.RX)));
        inFlight.addAll(handBack.subList(0, 3));
        DIRECTED.put(Mutant.RESET_KEEPS_ENGINE, inFlight);
        List<Action> pending = new ArrayList<>(List.of(new NicRaise("c1"), new HandleInterrupt()));
        pending.addAll(handBack);
        pending.add(new DeliverVirq("c1"));
        DIRECTED.put(Mutant.STOP_LEAVES_INTERRUPT_PENDING, pending);
        List<Action> msi = new ArrayList<>(handBack);
        msi.add(new SendMsi("g2", "c1", "g1"));
        DIRECTED.put(Mutant.ASSIGN_KEEPS_OLD_IRTE, msi);
        DIRECTED.put(Mutant.STOP_DROPS_INTERRUPT, List.of(new NicRaise("c1"), new StopContext("c1")));
    }

    /** Runs the steps; on the faulty code each must be enabled (the unchanged code may refuse some). */
    static HostSystem run(Set<Mutant> m, List<Action> steps) {
        HostSystem s = new HostSystem(CFG, SAFE, m);
        for (Action a : steps) {
            boolean enabled = a.apply(s);
            if (!m.isEmpty()) assertTrue(enabled, "step not enabled: " + a.toJava());
        }
        return s;
    }

    @TestFactory
    Stream<DynamicTest> everyPropertyHasAPlantedFault() {
        return Stream.of(DynamicTest.dynamicTest("one fault per property of the Java checker", () -> {
            List<String> props = Stream.of(Mutant.values()).map(Mutant::property).sorted().toList();
            assertEquals(List.of(Violation.INTER, Violation.INTRA, Violation.NO_INJECTED_INTERRUPT, Violation.NO_LOST_INTERRUPT,
                    Violation.NO_MISDIRECTED_INTERRUPT, Violation.NO_STALE_DMA, Violation.SINGLE_OWNER).stream().sorted().toList(), props);
        }));
    }

    @TestFactory
    Stream<DynamicTest> theCheckerReportsEachFaultOnADirectedRun() {
        return Stream.of(Mutant.values()).map(m -> DynamicTest.dynamicTest(m + " -> " + m.property(), () -> {
            HostSystem faulty = run(Set.of(m), DIRECTED.get(m));
            assertTrue(faulty.checker().violated(m.property()), m + " went unreported: " + faulty.checker().violations());
            HostSystem clean = run(Set.of(), DIRECTED.get(m));
            assertEquals(List.of(), clean.checker().violations(), "the unchanged code fails the same run");
        }));
    }

    @TestFactory
    Stream<DynamicTest> theRandomSearchFindsEachFault() {
        return Stream.of(Mutant.values()).map(m -> DynamicTest.dynamicTest(m + " -> " + m.property(), () -> {
            ActionGenerator gen = Adversary.split().revoking(100);
            for (int i = 0; i < 400; i++) {
                long seed = RandomSearch.runSeed(SEED, i);
                RandomSearch.Result r = RandomSearch.run(new HostSystem(CFG, SAFE, Set.of(m)), gen, seed, 200,
                        RandomSearch.of(m.property(), null), null);
                if (r.violation() == null) continue;
                System.out.printf("  %s: random search seed %d (run %d of seed %d): %s%n", m, seed, i, SEED, r.violation());
                HostSystem clean = Replay.run(CFG, SAFE, r.trace());
                assertFalse(clean.checker().violated(m.property()), "the unchanged code fails the same run: " + clean.checker().violations());
                return;
            }
            fail(m + ": 400 random runs from seed " + SEED + " never reported " + m.property());
        }));
    }

    /**
     * The fuzz driver, fed the way a greybox fuzzer feeds it: a queue of inputs,
     * each run from scratch; an input whose run ends in an abstract state not
     * seen before (per context: phase, engines busy, descriptors outstanding,
     * interrupt bits, debt) is kept, and new inputs are kept ones with random
     * bytes appended or flipped.  Jazzer does the same with code coverage as
     * the signal; this one is deterministic from its seed.
     */
    @TestFactory
    Stream<DynamicTest> theFuzzDriverFindsEachFault() {
        return Stream.of(Mutant.values()).map(m -> DynamicTest.dynamicTest(m + " -> " + m.property(), () -> {
            SplittableRandom rnd = new SplittableRandom(SEED);
            List<byte[]> kept = new ArrayList<>(List.of(new byte[0]));
            Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < 60_000; i++) {
                // Half the time one of the newest finds, so the search keeps going deeper.
                int from = rnd.nextBoolean() ? Math.max(0, kept.size() - 16) : 0;
                byte[] parent = kept.get(from + rnd.nextInt(kept.size() - from));
                byte[] input = java.util.Arrays.copyOf(parent, parent.length + 1 + rnd.nextInt(16));
                for (int k = parent.length; k < input.length; k++) input[k] = (byte) rnd.nextInt(256);
                if (parent.length > 0 && rnd.nextInt(4) == 0) input[rnd.nextInt(parent.length)] = (byte) rnd.nextInt(256);
                HostSystem faulty = new HostSystem(CFG, SAFE, Set.of(m));
                FuzzDriver.run(faulty, input, true);
                if (faulty.checker().violated(m.property())) {
                    System.out.printf("  %s: fuzz input %d (%d bytes) from seed %d: %s%n", m, i, input.length, SEED,
                            faulty.checker().first(m.property()));
                    HostSystem clean = new HostSystem(CFG, SAFE);
                    FuzzDriver.run(clean, input, true);
                    assertFalse(clean.checker().violated(m.property()), "the unchanged code fails the same input: " + clean.checker().violations());
                    return;
                }
                if (seen.add(abstractState(faulty))) kept.add(input);
            }
            fail(m + ": 60000 fuzz inputs from seed " + SEED + " never reported " + m.property());
        }));
    }

    private static String abstractState(HostSystem s) {
        StringBuilder b = new StringBuilder();
        var hyp = s.hypervisor();
        for (int c = 0; c < CFG.contexts().size(); c++) {
            b.append(hyp.phase(c)).append(hyp.ctxOwner(c));
            for (Dir d : Dir.values()) {
                b.append(s.nic().queue(c, d).engine().idle() ? '-' : 'E').append(hyp.inFlight(c, d));
            }
            b.append(hyp.vector().get(c) ? 'v' : '.').append(hyp.taken().get(c) ? 't' : '.').append(s.owedTo(c)).append('|');
        }
        return b.toString();
    }
}
