package cdna.sim;

import cdna.design.Design;
import cdna.design.DesignFiles;
import cdna.hypervisor.Buffer;
import cdna.nic.Dir;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt.forClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The implementation's thread interleavings, explored by Lincheck's model
 * checker (what Java PathFinder would do).  Lincheck runs the operations
 * below on its own threads against one ConcurrentHost: a vCPU of g1
 * enqueues a transmit buffer on page 2 and rings the doorbell, another vCPU
 * of g1 gives page 2 to g2, and the NIC's DMA engine fetches and moves what
 * is posted, and the hypervisor reaps completions.  Every call into the machine is atomic (one lock); the switch
 * points are where ConcurrentHost takes and drops that lock, so what is
 * explored is exactly the order of those critical sections.  Each execution
 * must be linearizable (the same results as some order of whole operations)
 * and, once the threads are done, the isolation checker must have seen
 * nothing ({@code @Validate}).  The operations start no threads of their own.
 *
 * <p>With pages pinned as they are checked (the baseline) every interleaving
 * passes; pinned after the check, Lincheck finds the one where the page leaves
 * between the hypercall's two critical sections, and prints it, minimised.
 */
class InterleavingTest {
    static final Config CFG = Config.tlcSized();

    // Read before Lincheck takes over: it allows no file operations in what it runs.
    static volatile Design design;

    static Design load(String name) throws Exception {
        return new DesignFiles(Path.of("model-check/designs")).load(name);
    }

    /** The machine under test, a fresh one for every execution Lincheck explores. */
    public static class Host {
        private final ConcurrentHost host;

        public Host() {
            HostSystem sys = new HostSystem(CFG, design);
            sys.allocatePage("g1", 2);
            host = new ConcurrentHost(sys);
        }

        /** A vCPU of g1: the enqueue hypercall for bytes 2..3 (page 2), then the doorbell. */
        @Operation
        public boolean post() {
            boolean ok = host.post("g1", "c1", Dir.TX, new Buffer(2, 2));
            if (ok) host.ring("g1", "c1", Dir.TX);
            return ok;
        }

        /** Another vCPU of g1 gives page 2 to g2. */
        @Operation
        public boolean giveAway() { return host.transferPage("g1", "g2", 2); }

        /** The NIC's DMA engine: fetch and move what is posted. */
        @Operation
        public void nic() { host.nicRun("c1", Dir.TX, 2); }

        /** The hypervisor notices a completion and drops its pins (lazily, whenever it runs). */
        @Operation
        public boolean reap() { return host.reap("c1", Dir.TX); }

        /** After every execution: the isolation checker saw nothing. */
        @Validate
        public void isolation() {
            List<Violation> v = host.violations();
            if (!v.isEmpty()) throw new IllegalStateException("isolation broken: " + v);
        }
    }

    static ModelCheckingOptions options() {
        return new ModelCheckingOptions()
                .iterations(30)
                .invocationsPerIteration(200)
                .threads(2)
                .actorsPerThread(2)
                .actorsBefore(0)
                .actorsAfter(0)
                // a call into the machine is one step: switch only where ConcurrentHost locks and unlocks
                .addGuarantee(forClasses(c -> c.startsWith("cdna.") && !c.equals(ConcurrentHost.class.getName())
                        && !c.startsWith(InterleavingTest.class.getName())).allMethods().treatAsAtomic());
    }

    /** 30 scenarios of 2 threads x 2 operations, 200 interleavings each: 6,000 executions. */
    @Test
    void everyInterleavingKeepsIsolationWhenPagesArePinnedAsChecked() throws Exception {
        design = load("cdna-baseline");
        options().check(Host.class);
    }

    @Test
    void lincheckFindsThePageGivenAwayBetweenTheCheckAndTheLatePin() throws Exception {
        design = load("cdna-pin-after-validate");
        Throwable t = assertThrows(Throwable.class, () -> options().check(Host.class));
        String report = String.valueOf(t.getMessage());
        System.out.println(report);
        // the interleaving: giveAway runs between the hypercall's check and its pin, and both succeed
        assertTrue(report.contains("post") && report.contains("giveAway"), report);
    }

    /** The scenario itself can fail: run once in the bad order by hand, it reports the violation. */
    @Test
    void theBadOrderRunByHandFails() throws Exception {
        HostSystem sys = new HostSystem(CFG, load("cdna-pin-after-validate"));
        sys.allocatePage("g1", 2);
        assertTrue(sys.as("g1").validateBuffer("c1", Dir.TX, new Buffer(2, 2)));
        assertTrue(sys.as("g1").transferPage("g2", 2));
        assertTrue(sys.as("g1").pinAndPost("c1", Dir.TX));
        assertTrue(sys.checker().violated("InterGuestIsolation"), sys.checker().violations().toString());
    }
}
