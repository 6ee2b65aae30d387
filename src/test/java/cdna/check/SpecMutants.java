package cdna.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Spec mutants for tests: a copy of specs/ with one exact text replaced, and a TLC run of an MC module against it. */
final class SpecMutants {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path MC = ROOT.resolve("model-check");

    private SpecMutants() {}

    /** A copy of specs/ under dir with {@code exact} (which must occur exactly once in module) replaced. */
    static Path mutate(Path dir, String module, String exact, String replacement) throws IOException {
        Path specs = dir.resolve("specs");
        Files.createDirectories(specs);
        try (var files = Files.list(ROOT.resolve("specs"))) {
            for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, specs.resolve(f.getFileName()));
        }
        Path m = specs.resolve(module);
        String text = Files.readString(m);
        assertEquals(1, text.split(Pattern.quote(exact), -1).length - 1, "the text to mutate moved in " + module);
        Files.writeString(m, text.replace(exact, replacement));
        return specs;
    }

    /** TLC on model-check/{module} with the given cfg text, finding the specs in {@code specs}. */
    static Outcome run(Path dir, String module, Path specs, String cfgText) throws IOException {
        Path cfg = dir.resolve("run-" + System.nanoTime() + ".cfg");
        Files.writeString(cfg, cfgText);
        TlcRunner.Run r = new TlcRunner(TlcRunner.Launcher.tlc("1g")).run(new TlcRunner.Request(MC.resolve(module), cfg,
                List.of(specs, MC), 1, Duration.ofMinutes(3), dir.resolve("tlc-" + System.nanoTime()), List.of()));
        return Outcome.of(r, List.of(MC, specs));
    }
}
