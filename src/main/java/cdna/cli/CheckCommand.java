package cdna.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** Placeholder until the TLC runner lands. */
@Command(name = "check", description = "Run the models of model-check/manifest.json through TLC.")
public final class CheckCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cdna check: not implemented yet");
        return 1;
    }
}
