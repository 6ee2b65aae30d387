package cdna.cli;

import cdna.check.Manifest;
import cdna.design.Design;
import cdna.design.DesignFiles;
import cdna.json.InputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/** Reading a model (a manifest model name or a cfg under model-check/) and a design (a name or a file) from the command line. */
final class ModelArgs {
    private ModelArgs() {}

    /** The cfg file name under model-check/ of a manifest model (such as ownership-small) or of a cfg named directly. */
    static String cfg(Path root, String model) throws InputException {
        Path mc = root.resolve("model-check");
        if (model.endsWith(".cfg")) {
            if (!Files.isRegularFile(mc.resolve(model))) throw new InputException(mc.resolve(model) + ": no such cfg");
            return model;
        }
        Manifest manifest = Manifest.read(mc.resolve("manifest.json"));
        Set<String> names = new TreeSet<>();
        for (Manifest.Entry e : manifest.entries()) {
            if (e.model() == null) continue;
            String template = e.model().template() == null ? e.model().name() : e.model().template();
            names.add(template);
            if (template.equals(model) || e.model().name().equals(model)) return e.model().cfg();
        }
        throw new InputException("\"" + model + "\" is no model of " + manifest.file() + " and no .cfg file; expected one of " + names);
    }

    /** A design by name (model-check/designs/NAME.json) or by file. */
    static Design design(Path root, String arg) throws InputException {
        DesignFiles files = new DesignFiles(root.resolve("model-check/designs"));
        Path asPath = Path.of(arg);
        if (arg.contains("/") || arg.endsWith(".json") || Files.exists(asPath)) return files.loadFile(asPath);
        if (!arg.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) throw new InputException("\"" + arg + "\" is neither a design name nor a design file");
        return files.load(arg);
    }

    /** The design a model is checked under when none is named: the baseline of the model's protection. */
    static String defaultDesign(Path root, String cfg) throws InputException {
        cdna.check.Cfg c = cdna.check.Cfg.read(root.resolve("model-check").resolve(cfg));
        boolean iommuOnly = !c.hasConstant("NPages") && !c.hasConstant("GPages");
        return iommuOnly ? "iommu-baseline" : "cdna-baseline";
    }
}
