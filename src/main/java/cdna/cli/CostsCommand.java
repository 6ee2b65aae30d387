package cdna.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** Placeholder: the protection cost table (issue 3) replaces this. */
@Command(name = "costs", description = "Per-packet protection costs of each design and IOMMU strategy.")
public final class CostsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cdna costs: not implemented yet");
        return 1;
    }
}
