package cdna.sim;

import cdna.design.DesignFiles;
import cdna.hypervisor.Buffer;
import cdna.hypervisor.IoBuffer;
import cdna.nic.Descriptor;
import cdna.nic.Dir;
import cdna.nic.Frame;
import cdna.nic.Segment;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Counterexamples the random search found for the known-bad designs, shrunk by
 * delta debugging and pasted as printed by {@link JUnitPrinter} (from
 * KnownBadDesignsTest's output).  Each is a short story of one DOMAIN.md
 * failure; the "reach" ones stop where the device could make the bad access,
 * the "access" ones go on until it does.
 */
@SuppressWarnings("unused")
class KnownBadRegressionTest {
    // found by RandomSearch, run seed -6711627295335304560, shrunk from 17 steps
    @Test
    void cdna_first_page_only_reach() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("cdna-first-page-only"));
        sys.allocatePage("g1", 1);
        sys.as("g1").transferPage("g2", 1);
        sys.as("g2").postDescriptor("c2", Dir.RX, new Buffer(1, 2));
        assertTrue(sys.checker().violated("InterGuestIsolation"), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed -6711627295335304560, shrunk from 40 steps
    @Test
    void cdna_first_page_only_access() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("cdna-first-page-only"));
        sys.allocatePage("g1", 1);
        sys.as("g1").transferPage("g2", 1);
        sys.as("g2").ringDoorbell("c2", Dir.RX, 1);
        sys.as("g2").postDescriptor("c2", Dir.RX, new Buffer(1, 2));
        sys.nicFetch("c2", Dir.RX);
        sys.nicDma("c2", Dir.RX);
        sys.nicDma("c2", Dir.RX);
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals("InterGuestIsolation") && v.kind() == Violation.Kind.ACCESS), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 4492093686107796908, shrunk from 38 steps
    @Test
    void cdna_no_pinning_reach() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("cdna-no-pinning"));
        sys.allocatePage("g1", 2);
        sys.as("g1").postDescriptor("c1", Dir.TX, new Buffer(2, 1));
        sys.as("g1").freePage(2);
        assertTrue(sys.checker().violated("InterGuestIsolation"), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed -6711627295335304560, shrunk from 47 steps
    @Test
    void cdna_no_pinning_access() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("cdna-no-pinning"));
        sys.allocatePage("g2", 3);
        sys.as("g2").postDescriptor("c2", Dir.RX, new Buffer(4, 1));
        sys.as("g2").ringDoorbell("c2", Dir.RX, 3);
        sys.as("g2").freePage(3);
        sys.nicFetch("c2", Dir.RX);
        sys.nicDma("c2", Dir.RX);
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals("InterGuestIsolation") && v.kind() == Violation.Kind.ACCESS), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 4492093686107796908, shrunk from 36 steps
    @Test
    void cdna_no_sequence_numbers_reach() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("cdna-no-sequence-numbers"));
        sys.allocatePage("g2", 3);
        sys.as("g2").postDescriptor("c2", Dir.RX, new Buffer(5, 1));
        sys.as("g2").ringDoorbell("c2", Dir.RX, 1);
        sys.nicFetch("c2", Dir.RX);
        sys.nicDma("c2", Dir.RX);
        sys.reapCompletions("c2", Dir.RX);
        sys.as("g2").transferPage("g1", 3);
        assertTrue(sys.checker().violated("InterGuestIsolation"), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed -2353801148453592569, shrunk from 42 steps
    @Test
    void cdna_no_sequence_numbers_access() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("cdna-no-sequence-numbers"));
        sys.allocatePage("g1", 2);
        sys.as("g1").ringDoorbell("c1", Dir.RX, -924913780179386210L);
        sys.nicFetch("c1", Dir.RX);
        sys.as("g1").ringDoorbell("c1", Dir.RX, 0);
        sys.nicFetch("c1", Dir.RX);
        sys.as("g1").postDescriptor("c1", Dir.RX, new Buffer(2, 1));
        sys.reapCompletions("c1", Dir.RX);
        sys.as("g1").freePage(2);
        sys.nicFetch("c1", Dir.RX);
        sys.nicDma("c1", Dir.RX);
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals("InterGuestIsolation") && v.kind() == Violation.Kind.ACCESS), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 4492093686107796908, shrunk from 20 steps
    @Test
    void iommu_deferred_flush_before_reuse_reach() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("iommu-deferred-flush-before-reuse"));
        sys.allocatePage("g2", 1);
        sys.as("g2").transferPage("g1", 1);
        sys.as("g1").mapBuffer("c1", new IoBuffer(1, 1, 1, 1));
        sys.as("g1").unmapBuffer("c1", new IoBuffer(1, 1, 1, 1));
        assertTrue(sys.checker().violated("IntraGuestProtection"), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 3045793890639434818, shrunk from 21 steps
    @Test
    void iommu_deferred_flush_before_reuse_access() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("iommu-deferred-flush-before-reuse"));
        sys.allocatePage("g1", 1);
        sys.as("g1").mapBuffer("c1", new IoBuffer(1, 1, 0, 1));
        sys.as("g1").writeDescriptor("c1", Dir.RX, 0, new Descriptor(List.of(new Segment(0, 1)), 0));
        sys.as("g1").ringDoorbell("c1", Dir.RX, 1);
        sys.nicFetch("c1", Dir.RX);
        sys.as("g1").unmapBuffer("c1", new IoBuffer(1, 1, 0, 1));
        sys.nicDma("c1", Dir.RX);
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals("IntraGuestProtection") && v.kind() == Violation.Kind.ACCESS), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 4492093686107796908, shrunk from 35 steps
    @Test
    void iommu_deferred_reuse_reach() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("iommu-deferred-reuse"));
        sys.allocatePage("g2", 3);
        sys.as("g2").mapBuffer("c2", new IoBuffer(3, 3, 1, 1));
        sys.as("g2").transferPage("g1", 3);
        assertTrue(sys.checker().violated("InterGuestIsolation"), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 4481676592839356682, shrunk from 31 steps
    @Test
    void iommu_deferred_reuse_access() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("iommu-deferred-reuse"));
        sys.allocatePage("g1", 2);
        sys.as("g1").mapBuffer("c1", new IoBuffer(2, 2, 0, 2));
        sys.as("g1").writeDescriptor("c1", Dir.RX, 0, new Descriptor(List.of(new Segment(2, 2)), 0));
        sys.as("g1").ringDoorbell("c1", Dir.RX, -2104069510168189063L);
        sys.nicFetch("c1", Dir.RX);
        sys.as("g1").freePage(2);
        sys.nicDma("c1", Dir.RX);
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals("InterGuestIsolation") && v.kind() == Violation.Kind.ACCESS), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 4492093686107796908, shrunk from 1 steps
    @Test
    void iommu_direct_reach() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("iommu-direct"));
        sys.allocatePage("g1", 3);
        assertTrue(sys.checker().violated("IntraGuestProtection"), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 3045793890639434818, shrunk from 21 steps
    @Test
    void iommu_direct_access() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("iommu-direct"));
        sys.allocatePage("g1", 1);
        sys.as("g1").writeDescriptor("c1", Dir.RX, 0, new Descriptor(List.of(new Segment(0, 1)), 0));
        sys.as("g1").ringDoorbell("c1", Dir.RX, 1);
        sys.nicFetch("c1", Dir.RX);
        sys.nicDma("c1", Dir.RX);
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals("IntraGuestProtection") && v.kind() == Violation.Kind.ACCESS), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 4492093686107796908, shrunk from 6 steps
    @Test
    void iommu_persistent_reach() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("iommu-persistent"));
        sys.allocatePage("g2", 1);
        sys.as("g2").transferPage("g1", 1);
        sys.as("g1").mapBuffer("c1", new IoBuffer(1, 1, 1, 1));
        assertTrue(sys.checker().violated("IntraGuestProtection"), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 3045793890639434818, shrunk from 21 steps
    @Test
    void iommu_persistent_access() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("iommu-persistent"));
        sys.allocatePage("g1", 1);
        sys.as("g1").writeDescriptor("c1", Dir.RX, 0, new Descriptor(List.of(new Segment(0, 1)), 0));
        sys.as("g1").ringDoorbell("c1", Dir.RX, 1);
        sys.nicFetch("c1", Dir.RX);
        sys.as("g1").mapBuffer("c1", new IoBuffer(1, 1, 1, 1));
        sys.nicDma("c1", Dir.RX);
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals("IntraGuestProtection") && v.kind() == Violation.Kind.ACCESS), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 4492093686107796908, shrunk from 6 steps
    @Test
    void iommu_shared_reach() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("iommu-shared"));
        sys.allocatePage("g2", 1);
        sys.as("g2").transferPage("g1", 1);
        sys.as("g1").mapBuffer("c1", new IoBuffer(1, 1, 1, 1));
        assertTrue(sys.checker().violated("IntraGuestProtection"), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 3045793890639434818, shrunk from 21 steps
    @Test
    void iommu_shared_access() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("iommu-shared"));
        sys.allocatePage("g1", 1);
        sys.as("g1").writeDescriptor("c1", Dir.RX, 0, new Descriptor(List.of(new Segment(0, 1)), 0));
        sys.as("g1").ringDoorbell("c1", Dir.RX, 1);
        sys.nicFetch("c1", Dir.RX);
        sys.as("g1").mapBuffer("c1", new IoBuffer(1, 1, 1, 1));
        sys.nicDma("c1", Dir.RX);
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals("IntraGuestProtection") && v.kind() == Violation.Kind.ACCESS), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 4492093686107796908, shrunk from 6 steps
    @Test
    void iommu_shared_requester_id_reach() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("iommu-shared-requester-id"));
        sys.allocatePage("g2", 1);
        sys.as("g2").transferPage("g1", 1);
        sys.as("g1").mapBuffer("c1", new IoBuffer(1, 1, 1, 1));
        assertTrue(sys.checker().violated("InterGuestIsolation"), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 1249168358577972960, shrunk from 26 steps
    @Test
    void iommu_shared_requester_id_access() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("iommu-shared-requester-id"));
        sys.allocatePage("g1", 2);
        sys.as("g1").writeDescriptor("c1", Dir.RX, 0, new Descriptor(List.of(new Segment(3, 1)), 0));
        sys.as("g1").ringDoorbell("c1", Dir.RX, 2);
        sys.as("g1").transferPage("g2", 2);
        sys.nicFetch("c1", Dir.RX);
        sys.as("g2").mapBuffer("c2", new IoBuffer(2, 2, 1, 1));
        sys.nicDma("c1", Dir.RX);
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals("InterGuestIsolation") && v.kind() == Violation.Kind.ACCESS), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 4492093686107796908, shrunk from 6 steps
    @Test
    void iommu_single_use_no_bounce_reach() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("iommu-single-use-no-bounce"));
        sys.allocatePage("g2", 1);
        sys.as("g2").transferPage("g1", 1);
        sys.as("g1").mapBuffer("c1", new IoBuffer(1, 1, 1, 1));
        assertTrue(sys.checker().violated("IntraGuestProtection"), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 3045793890639434818, shrunk from 21 steps
    @Test
    void iommu_single_use_no_bounce_access() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("iommu-single-use-no-bounce"));
        sys.allocatePage("g1", 1);
        sys.as("g1").writeDescriptor("c1", Dir.RX, 0, new Descriptor(List.of(new Segment(0, 1)), 0));
        sys.as("g1").ringDoorbell("c1", Dir.RX, 1);
        sys.nicFetch("c1", Dir.RX);
        sys.as("g1").mapBuffer("c1", new IoBuffer(1, 1, 1, 1));
        sys.nicDma("c1", Dir.RX);
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals("IntraGuestProtection") && v.kind() == Violation.Kind.ACCESS), sys.checker().violations().toString());
    }

    // ---- Context reassignment and interrupts (ContextOwnership), one design per known failure.

    // found by RandomSearch, run seed 4492093686107796908, shrunk from 25 steps
    @Test
    void cdna_reassign_without_quiesce_NoStaleDma_reach() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("cdna-reassign-without-quiesce"));
        sys.allocatePage("g1", 3);
        sys.as("g1").postDescriptor("c1", Dir.RX, new Buffer(4, 1));
        sys.stopContext("c1");
        sys.quiesceContext("c1");
        sys.unmapContext("c1");
        assertTrue(sys.checker().violated("NoStaleDma"), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 4492093686107796908, shrunk from 34 steps
    @Test
    void cdna_reassign_without_quiesce_NoStaleDma_access() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("cdna-reassign-without-quiesce"));
        sys.allocatePage("g1", 3);
        sys.as("g1").postDescriptor("c1", Dir.RX, new Buffer(4, 1));
        sys.as("g1").ringDoorbell("c1", Dir.RX, 2);
        sys.stopContext("c1");
        sys.quiesceContext("c1");
        sys.unmapContext("c1");
        sys.nicFetch("c1", Dir.RX);
        sys.nicDma("c1", Dir.RX);
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals("NoStaleDma") && v.kind() == Violation.Kind.ACCESS), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 4492093686107796908, shrunk from 25 steps
    @Test
    void cdna_drain_without_reset_NoStaleDma_reach() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("cdna-drain-without-reset"));
        sys.allocatePage("g1", 3);
        sys.as("g1").postDescriptor("c1", Dir.RX, new Buffer(4, 1));
        sys.stopContext("c1");
        sys.quiesceContext("c1");
        sys.unmapContext("c1");
        assertTrue(sys.checker().violated("NoStaleDma"), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 4492093686107796908, shrunk from 34 steps
    @Test
    void cdna_drain_without_reset_NoStaleDma_access() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("cdna-drain-without-reset"));
        sys.allocatePage("g1", 3);
        sys.as("g1").postDescriptor("c1", Dir.RX, new Buffer(4, 1));
        sys.as("g1").ringDoorbell("c1", Dir.RX, 2);
        sys.stopContext("c1");
        sys.quiesceContext("c1");
        sys.unmapContext("c1");
        sys.nicFetch("c1", Dir.RX);
        sys.nicDma("c1", Dir.RX);
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals("NoStaleDma") && v.kind() == Violation.Kind.ACCESS), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 4492093686107796908, shrunk from 34 steps
    @Test
    void iommu_domain_change_without_flush_NoStaleDma_reach() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("iommu-domain-change-without-flush"));
        sys.allocatePage("g1", 1);
        sys.as("g1").mapBuffer("c1", new IoBuffer(1, 1, 0, 1));
        sys.stopContext("c1");
        sys.quiesceContext("c1");
        sys.unmapContext("c1");
        assertTrue(sys.checker().violated("NoStaleDma"), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 4492093686107796908, shrunk from 3 steps
    @Test
    void cdna_clear_vector_before_scan_NoLostInterrupt_liveness() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("cdna-clear-vector-before-scan"));
        sys.nicRaise("c2");
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals("NoLostInterrupt") && v.kind() == Violation.Kind.LIVENESS), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 4492093686107796908, shrunk from 1 steps
    @Test
    void iommu_no_interrupt_remapping_NoInjectedInterrupt_reach() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("iommu-no-interrupt-remapping"));
        sys.allocatePage("g1", 2);
        assertTrue(sys.checker().violated("NoInjectedInterrupt"), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 4492093686107796908, shrunk from 33 steps
    @Test
    void iommu_no_interrupt_remapping_NoInjectedInterrupt_event() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("iommu-no-interrupt-remapping"));
        sys.as("g2").sendMsi("c2", "g1");
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals("NoInjectedInterrupt") && v.kind() == Violation.Kind.EVENT), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 3045793890639434818, shrunk from 32 steps
    @Test
    void cdna_deliver_to_current_owner_NoMisdirectedInterrupt_reach() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("cdna-deliver-to-current-owner"));
        sys.nicRaise("c2");
        sys.stopContext("c2");
        sys.quiesceContext("c2");
        sys.unmapContext("c2");
        sys.unpinContext("c2");
        sys.assignContext("c2", "g1");
        assertTrue(sys.checker().violated("NoMisdirectedInterrupt"), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 3045793890639434818, shrunk from 33 steps
    @Test
    void cdna_deliver_to_current_owner_NoMisdirectedInterrupt_event() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("cdna-deliver-to-current-owner"));
        sys.nicRaise("c2");
        sys.stopContext("c2");
        sys.quiesceContext("c2");
        sys.unmapContext("c2");
        sys.unpinContext("c2");
        sys.assignContext("c2", "g1");
        sys.deliverInterrupts();
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals("NoMisdirectedInterrupt") && v.kind() == Violation.Kind.EVENT), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 3045793890639434818, shrunk from 32 steps
    @Test
    void cdna_deliver_to_current_owner_NoLostInterrupt_liveness() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("cdna-deliver-to-current-owner"));
        sys.nicRaise("c2");
        sys.stopContext("c2");
        sys.quiesceContext("c2");
        sys.unmapContext("c2");
        sys.unpinContext("c2");
        sys.assignContext("c2", "g1");
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals("NoLostInterrupt") && v.kind() == Violation.Kind.LIVENESS), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 4492093686107796908, shrunk from 29 steps
    @Test
    void cdna_keep_guest_mappings_SingleOwner_reach() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("cdna-keep-guest-mappings"));
        sys.stopContext("c1");
        sys.quiesceContext("c1");
        sys.unmapContext("c1");
        sys.unpinContext("c1");
        sys.assignContext("c1", "g2");
        assertTrue(sys.checker().violated("SingleOwner"), sys.checker().violations().toString());
    }

    // found by RandomSearch, run seed 4492093686107796908, shrunk from 36 steps
    @Test
    void cdna_keep_guest_mappings_SingleOwner_event() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("cdna-keep-guest-mappings"));
        sys.stopContext("c1");
        sys.quiesceContext("c1");
        sys.unmapContext("c1");
        sys.unpinContext("c1");
        sys.assignContext("c1", "g2");
        sys.as("g1").ringDoorbell("c1", Dir.RX, 2);
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals("SingleOwner") && v.kind() == Violation.Kind.EVENT), sys.checker().violations().toString());
    }

    // Built by hand, not found by the search (KnownBadDesignsTest.REAL_ACCESS_BY_HAND says why): the
    // device, now g2's, writes through the translation of g1's buffer that the domain change left.
    @Test
    void iommu_domain_change_without_flush_NoStaleDma_access() throws Exception {
        HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("iommu-domain-change-without-flush"));
        sys.allocatePage("g1", 1);
        sys.as("g1").mapBuffer("c1", new IoBuffer(1, 1, 0, 2));
        sys.stopContext("c1");
        sys.quiesceContext("c1");
        sys.unmapContext("c1");
        sys.unpinContext("c1");
        sys.assignContext("c1", "g2");
        sys.as("g2").writeDescriptor("c1", Dir.RX, 0, new Descriptor(List.of(new Segment(0, 2)), 0));
        sys.as("g2").ringDoorbell("c1", Dir.RX, 1);
        sys.nicFetch("c1", Dir.RX);
        sys.nicDma("c1", Dir.RX);
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals("NoStaleDma") && v.kind() == Violation.Kind.ACCESS), sys.checker().violations().toString());
        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals("InterGuestIsolation") && v.kind() == Violation.Kind.DATA), sys.checker().violations().toString());
        // The same steps with the flush: the translation is gone and the access faults.
        HostSystem safe = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                new DesignFiles(Path.of("model-check/designs")).load("iommu-baseline"));
        safe.allocatePage("g1", 1);
        safe.as("g1").mapBuffer("c1", new IoBuffer(1, 1, 0, 2));
        safe.stopContext("c1");
        safe.quiesceContext("c1");
        safe.unmapContext("c1");
        safe.unpinContext("c1");
        safe.assignContext("c1", "g2");
        safe.as("g2").writeDescriptor("c1", Dir.RX, 0, new Descriptor(List.of(new Segment(0, 2)), 0));
        safe.as("g2").ringDoorbell("c1", Dir.RX, 1);
        safe.nicFetch("c1", Dir.RX);
        safe.nicDma("c1", Dir.RX);
        assertTrue(safe.checker().violations().isEmpty(), safe.checker().violations().toString());
        assertTrue(safe.iommu().faultCount() > 0);
    }

    // Built by hand (KnownBadDesignsTest.DATA_BY_HAND says why): g1's hypercall checks page 2, g1
    // gives the page to g2 before the pin, and the descriptor written anyway sends g2's bytes on g1's
    // behalf (g2 writes into it first).  Pinning at the check (the baseline) refuses the transfer and nothing leaks.
    @Test
    void cdna_pin_after_validate_InterGuestIsolation_data() throws Exception {
        for (String design : List.of("cdna-pin-after-validate", "cdna-baseline")) {
            HostSystem sys = new HostSystem(new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4),
                    new DesignFiles(Path.of("model-check/designs")).load(design));
            sys.allocatePage("g1", 2);
            assertTrue(sys.as("g1").validateBuffer("c1", Dir.TX, new Buffer(2, 2)));
            boolean given = sys.as("g1").transferPage("g2", 2);
            if (given) sys.as("g2").write(2, Frame.pattern(2, 2));
            assertTrue(sys.as("g1").pinAndPost("c1", Dir.TX));
            sys.as("g1").ringDoorbell("c1", Dir.TX, 1);
            sys.nicFetch("c1", Dir.TX);
            sys.nicDma("c1", Dir.TX);
            if (design.equals("cdna-baseline")) {
                assertTrue(!given && sys.checker().violations().isEmpty(), given + " " + sys.checker().violations());
                continue;
            }
            assertTrue(given);
            assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals("InterGuestIsolation") && v.kind() == Violation.Kind.DATA), sys.checker().violations().toString());
            assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals("InterGuestIsolation") && v.kind() == Violation.Kind.ACCESS), sys.checker().violations().toString());
        }
    }

    // Built by hand (KnownBadDesignsTest.REAL_ACCESS_BY_HAND says why), XSA-302: g1 queues a
    // transmit of the hypervisor's private page 4 while it owns c1 (the IOMMU would fault it then);
    // c1 is stopped, drained and unmapped, its requester ID lands in the hardware domain, and the
    // queued transmit reads the private page.  With quarantine the same transmit faults.
    @Test
    void iommu_deassign_to_hardware_domain_NoStaleDma_access() throws Exception {
        for (boolean quarantine : List.of(false, true)) {
            Config cfg = Config.tlcSized().withPages(4).withPrivatePages(java.util.Set.of(4));
            cdna.design.Design d = new DesignFiles(Path.of("model-check/designs")).load("iommu-deassign-to-hardware-domain")
                    .with("xsa-302 drained", cdna.design.Switch.RevokeQuiesce, "drain-inflight")
                    .with("xsa-302 drained", cdna.design.Switch.QuarantineOnUnmap, quarantine);
            HostSystem sys = new HostSystem(cfg, d);
            assertTrue(sys.as("g1").writeDescriptor("c1", Dir.TX, 0, new Descriptor(List.of(new Segment(6, 2)), 0)));
            sys.as("g1").ringDoorbell("c1", Dir.TX, 1);
            assertTrue(sys.stopContext("c1") && sys.quiesceContext("c1") && sys.unmapContext("c1"));
            sys.nicFetch("c1", Dir.TX);
            sys.nicDma("c1", Dir.TX);
            if (quarantine) {
                assertTrue(sys.checker().violations().isEmpty(), sys.checker().violations().toString());
                assertTrue(sys.iommu().faultCount() > 0);
                continue;
            }
            assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals("NoStaleDma") && v.kind() == Violation.Kind.ACCESS), sys.checker().violations().toString());
            assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals("InterGuestIsolation") && v.kind() == Violation.Kind.ACCESS), sys.checker().violations().toString());
        }
    }
}
