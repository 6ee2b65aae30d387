package cdna.conformance;

import cdna.check.Cfg;
import cdna.design.Design;
import cdna.design.Mutant;
import cdna.guest.Adversary;
import cdna.guest.FuzzDriver;
import cdna.json.InputException;
import cdna.migration.Handoff;
import cdna.migration.HandoffDriver;
import cdna.sim.Action;
import cdna.sim.ActionGenerator;
import cdna.sim.HostSystem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Runs of the Java implementation logged for trace validation: seeded random runs, fuzz
 * inputs and directed step lists, on the machine of any model (CdnaProtection,
 * IommuProtection, ContextOwnership: a {@link HostSystem}; MigrationHandoff: the
 * {@link Handoff} twin).  Every enabled step is one entry, its state the machine's
 * abstraction in the spec's variables.
 *
 * <p>A random run on a layer spec takes only the steps of that spec and the steps the
 * spec abstracts away (a guest writing its own memory, a frame arriving, the TX ring,
 * interrupts under CdnaProtection and IommuProtection), which must leave its variables
 * alone; the ownership steps (stop, quiesce, reassign) belong to ContextOwnership.  Under
 * an IOMMU, ContextOwnership's ring actions are CDNA's, and the Java NIC's ring under an
 * IOMMU is guest memory the spec does not track, so those runs leave the NIC's ring
 * steps out.
 */
public final class LoggedRuns {
    private LoggedRuns() {}

    /** The machine of the model cfg under design (its contexts' first owners chosen by the seed), and its abstraction. */
    private record Machine(ModelSetup m, HostSystem s) {}

    private static Machine machine(Cfg cfg, Design design, List<String> owners, Set<Mutant> mutants) throws InputException {
        ModelSetup m = ModelSetup.build(cfg, design, owners);
        HostSystem s = new HostSystem(m.config(), design, mutants);
        s.checker().off();
        return new Machine(m, s);
    }

    /** Contexts' first owners drawn from the seed (every assignment is an initial state of the specs). */
    static List<String> owners(Cfg cfg, long seed) throws InputException {
        ModelSetup.Constants k = new ModelSetup.Constants(cfg);
        List<String> guests = k.names("Guests");
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5eedL);
        List<String> r = new ArrayList<>();
        for (String ignored : k.names("Contexts")) r.add(guests.get(rnd.nextInt(guests.size())));
        return r;
    }

    /** A seeded random run of about {@code steps} logged steps on the machine of model-check/{cfgName} under design. */
    public static StepLog.Log seeded(Path root, String cfgName, Design design, long seed, int steps, Set<Mutant> mutants)
            throws InputException {
        Cfg cfg = Cfg.read(root.resolve("model-check").resolve(cfgName));
        String source = "seeded random run, seed " + seed + ", " + steps + " steps" + (mutants.isEmpty() ? "" : ", code faults " + mutants);
        if (MigrationReplay.isMigration(cfg)) {
            Handoff h = new Handoff(MigrationReplay.config(cfg), design);
            List<StepLog.Entry> log = new ArrayList<>(List.of(migrationEntry("Init", h)));
            SplittableRandom rnd = new SplittableRandom(seed);
            for (int i = 0; i < steps; i++) {
                String label = HandoffDriver.randomStep(h, rnd);
                if (label == null) break;
                log.add(migrationEntry(label, h));
            }
            return new StepLog.Log(new StepLog.Header(cfgName, design, List.of(), source), log);
        }
        List<String> owners = owners(cfg, seed);
        Machine x = machine(cfg, design, owners, mutants);
        List<StepLog.Entry> log = attach(x);
        ActionGenerator gen = Adversary.mixed().revoking(50);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int tries = 0; log.size() <= steps && tries < 20 * steps; tries++) {
            Action a = gen.next(x.s(), rnd);
            if (a != null && allowed(a, x.m())) a.apply(x.s());
        }
        return new StepLog.Log(new StepLog.Header(cfgName, design, owners, source), log);
    }

    /** The steps a fuzz input decodes to (FuzzDriver; the migration twin: HandoffDriver's three bytes a step), logged. */
    public static StepLog.Log fuzz(Path root, String cfgName, Design design, byte[] input, String source, Set<Mutant> mutants)
            throws InputException {
        Cfg cfg = Cfg.read(root.resolve("model-check").resolve(cfgName));
        if (MigrationReplay.isMigration(cfg)) {
            Handoff h = new Handoff(MigrationReplay.config(cfg), design);
            List<StepLog.Entry> log = new ArrayList<>(List.of(migrationEntry("Init", h)));
            for (int i = 0; i + 2 < input.length; i += 3) {
                String label = HandoffDriver.step(h, input[i] & 0xff, input[i + 1] & 0xff, input[i + 2] & 0xff);
                if (label != null) log.add(migrationEntry(label, h));
            }
            return new StepLog.Log(new StepLog.Header(cfgName, design, List.of(), source), log);
        }
        List<String> owners = owners(cfg, input.length);
        Machine x = machine(cfg, design, owners, mutants);
        List<StepLog.Entry> log = attach(x);
        // The ownership steps only where the spec has them; under an IOMMU the layer specs see no ring.
        FuzzDriver.run(x.s(), input, x.m().ownership());
        return new StepLog.Log(new StepLog.Header(cfgName, design, owners, source), log);
    }

    /** The given steps, in order, each logged if the machine takes it (tests: a run aimed at one step). */
    public static StepLog.Log directed(Path root, String cfgName, Design design, List<String> owners, List<Action> steps,
                                       Set<Mutant> mutants) throws InputException {
        Cfg cfg = Cfg.read(root.resolve("model-check").resolve(cfgName));
        Machine x = machine(cfg, design, owners, mutants);
        List<StepLog.Entry> log = attach(x);
        for (Action a : steps) a.apply(x.s());
        return new StepLog.Log(new StepLog.Header(cfgName, design, owners, "directed steps " + steps.size()), log);
    }

    /** Logs the machine as it is, then after every step it takes. */
    private static List<StepLog.Entry> attach(Machine x) {
        List<StepLog.Entry> log = new ArrayList<>();
        log.add(new StepLog.Entry("Init", null, null, Abstraction.of(x.s(), x.m())));
        x.s().setStepLog(s -> {
            SpecSteps.SpecStep st = SpecSteps.host(s.lastAction(), x.m());
            log.add(new StepLog.Entry(s.lastAction(), st.action(), st.params(), Abstraction.of(s, x.m())));
        });
        return log;
    }

    private static StepLog.Entry migrationEntry(String label, Handoff h) {
        SpecSteps.SpecStep st = SpecSteps.migration(label);
        return new StepLog.Entry(label, label.equals("Init") ? null : st.action(), label.equals("Init") ? null : st.params(),
                MigrationReplay.state(h));
    }

    /**
     * Whether a random run on model m takes step a: the spec's own steps and those it
     * abstracts away, not another spec's (see the class comment).
     */
    static boolean allowed(Action a, ModelSetup m) {
        boolean ownershipStep = a instanceof Action.StopContext || a instanceof Action.QuiesceContext || a instanceof Action.UnmapContext
                || a instanceof Action.UnpinContext || a instanceof Action.AssignContext || a instanceof Action.SendMsi;
        boolean ring = a instanceof Action.PostDescriptor || a instanceof Action.RingDoorbell || a instanceof Action.NicFetch
                || a instanceof Action.NicDma || a instanceof Action.ReapCompletions || a instanceof Action.WriteDescriptor;
        boolean iommuStep = a instanceof Action.MapBuffer || a instanceof Action.UnmapBuffer || a instanceof Action.FlushIotlb;
        if (m.ownership()) return m.cdna() || !ring;
        if (m.cdna()) return !ownershipStep && !iommuStep;
        return !ownershipStep;
    }
}
