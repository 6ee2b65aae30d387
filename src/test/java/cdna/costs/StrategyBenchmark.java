package cdna.costs;

import cdna.design.Design;
import cdna.design.DesignFiles;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per received packet of the reference implementation under each
 * protection scheme (isolation checker off).  It measures the Java model, not
 * a hypervisor: only ratios between schemes mean anything.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StrategyBenchmark {
    static final int PACKETS = 64;

    @Param({"cdna-baseline", "iommu-baseline", "iommu-single-use-no-bounce", "iommu-shared", "iommu-persistent", "iommu-direct",
            "iommu-deferred-flush-before-reuse"})
    public String design;

    PacketWorkload w;

    @Setup
    public void setUp() throws Exception {
        Design d = new DesignFiles(Path.of("model-check/designs")).load(design);
        w = new PacketWorkload(d);
        w.run(1024);
    }

    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public long packets() {
        w.run(PACKETS);
        return w.packets();
    }
}
