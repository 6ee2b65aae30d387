package cdna.sim;

import cdna.design.Design;

import java.util.List;

/** Prints a step list as a ready-to-paste JUnit 5 test that replays it and expects the violation. */
public final class JUnitPrinter {
    private JUnitPrinter() {}

    public static String test(String methodName, Config config, Design design, List<Action> trace, String property, String origin) {
        return test(methodName, config, design, trace, property, null, origin);
    }

    /** As above; with a kind, the test expects the violation to be seen that way (e.g. as a real DMA ACCESS). */
    public static String test(String methodName, Config config, Design design, List<Action> trace, String property,
                              Violation.Kind kind, String origin) {
        StringBuilder b = new StringBuilder();
        b.append("    // ").append(origin).append('\n');
        b.append("    @Test\n");
        b.append("    void ").append(methodName).append("() throws Exception {\n");
        b.append("        HostSystem sys = new HostSystem(").append(configJava(config)).append(",\n");
        b.append("                new DesignFiles(Path.of(\"model-check/designs\")).load(\"").append(design.name()).append("\"));\n");
        for (Action a : trace) b.append("        ").append(a.toJava()).append('\n');
        if (kind == null) {
            b.append("        assertTrue(sys.checker().violated(\"").append(property).append("\"), sys.checker().violations().toString());\n");
        } else {
            b.append("        assertTrue(sys.checker().violations().stream().anyMatch(v -> v.property().equals(\"").append(property)
                    .append("\") && v.kind() == Violation.Kind.").append(kind).append("), sys.checker().violations().toString());\n");
        }
        b.append("    }\n");
        return b.toString();
    }

    /** Imports the printed test needs. */
    public static String imports() {
        return """
                import cdna.design.DesignFiles;
                import cdna.hypervisor.Buffer;
                import cdna.hypervisor.IoBuffer;
                import cdna.nic.Descriptor;
                import cdna.nic.Dir;
                import cdna.nic.Frame;
                import cdna.nic.Segment;
                import cdna.sim.Config;
                import cdna.sim.HostSystem;
                import cdna.sim.Violation;
                import java.nio.file.Path;
                import java.util.List;
                import org.junit.jupiter.api.Test;
                import static org.junit.jupiter.api.Assertions.assertTrue;
                """;
    }

    static String configJava(Config c) {
        return "new Config(" + list(c.guests()) + ", " + c.nPages() + ", " + c.pageSize() + ", " + c.maxLen() + ", "
                + list(c.contexts()) + ", " + list(c.ctxOwners()) + ", " + c.ringSize() + ", " + c.seqMod() + ", "
                + c.framesAlwaysWaiting() + ", " + c.flushPeriod() + ")";
    }

    private static String list(List<String> l) {
        StringBuilder b = new StringBuilder("List.of(");
        for (int i = 0; i < l.size(); i++) b.append(i > 0 ? ", " : "").append('"').append(l.get(i)).append('"');
        return b.append(')').toString();
    }
}
