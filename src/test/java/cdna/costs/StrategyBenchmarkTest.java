package cdna.costs;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Collection;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** Runs the JMH benchmark when asked: mvn test -Dtest=StrategyBenchmarkTest -Dcdna.jmh=true (see docs/implementation.md, "Benchmark"). */
class StrategyBenchmarkTest {
    @Test
    void runJmh() throws Exception {
        if (!Boolean.getBoolean("cdna.jmh")) return;
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(StrategyBenchmark.class.getName())
                .jvmArgsAppend("-Xmx1g")
                .build()).run();
        assertFalse(results.isEmpty());
        System.out.println("ns per packet:");
        for (RunResult r : results) {
            System.out.printf("  %-36s %10.1f%n", r.getParams().getParam("design"), r.getPrimaryResult().getScore());
        }
    }
}
