package cdna.cli;

import cdna.costs.CostTable;
import cdna.design.Design;
import cdna.design.DesignFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/** Prints the per-packet protection cost table of every design file. */
@Command(name = "costs", mixinStandardHelpOptions = true,
        description = "Per-packet protection costs of each design and IOMMU strategy.")
public final class CostsCommand implements Callable<Integer> {
    @Option(names = "--designs", description = "Directory of design files (default: ${DEFAULT-VALUE}).")
    Path designs = Path.of("model-check/designs");

    @Option(names = "--packets", description = "Packets counted per design (default: ${DEFAULT-VALUE}).")
    int packets = 4096;

    @Override
    public Integer call() throws Exception {
        if (packets < 1) throw new IllegalArgumentException("--packets must be at least 1");
        String[] files = designs.toFile().list((dir, n) -> n.endsWith(".json"));
        if (files == null || files.length == 0) throw new IllegalArgumentException("no design files in " + designs);
        DesignFiles df = new DesignFiles(designs);
        List<Design> ds = new ArrayList<>();
        for (String f : files) ds.add(df.load(f.substring(0, f.length() - ".json".length())));
        List<CostTable.Row> rows = new ArrayList<>(CostTable.measure(ds, packets));
        rows.sort(Comparator.comparingDouble((CostTable.Row r) -> r.relativeCost()).thenComparing(CostTable.Row::design));
        System.out.print(CostTable.format(rows, packets));
        return 0;
    }
}
