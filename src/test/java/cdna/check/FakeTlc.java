package cdna.check;

/**
 * Stands in for tlc2.TLC to drive the runner down paths real TLC reaches only
 * by accident: output the runner cannot interpret.  The mode is the first
 * JVM system property cdna.fake.
 */
public final class FakeTlc {
    public static void main(String[] args) {
        String mode = System.getProperty("cdna.fake", "garbage");
        switch (mode) {
            case "garbage" -> {
                // exit 0 but none of TLC's completion messages: must not read as "holds"
                System.out.println("this is not TLC output");
                System.exit(0);
            }
            case "violation-without-trace" -> {
                System.out.println("@!@!@STARTMSG 2110:1 @!@!@");
                System.out.println("Invariant InterGuestIsolation is violated.");
                System.out.println("@!@!@ENDMSG 2110 @!@!@");
                System.exit(12);
            }
            case "bad-trace" -> {
                System.out.println("@!@!@STARTMSG 2110:1 @!@!@");
                System.out.println("Invariant InterGuestIsolation is violated.");
                System.out.println("@!@!@ENDMSG 2110 @!@!@");
                System.out.println("@!@!@STARTMSG 2121:1 @!@!@");
                System.out.println("The behavior up to this point is:");
                System.out.println("@!@!@ENDMSG 2121 @!@!@");
                System.out.println("@!@!@STARTMSG 2217:4 @!@!@");
                System.out.println("1: <Initial predicate>");
                System.out.println("/\\ owner = <<Hyp, {unclosed");
                System.out.println("@!@!@ENDMSG 2217 @!@!@");
                System.exit(12);
            }
            case "success-without-stats" -> {
                System.out.println("@!@!@STARTMSG 2193:0 @!@!@");
                System.out.println("Model checking completed. No error has been found.");
                System.out.println("@!@!@ENDMSG 2193 @!@!@");
                System.exit(0);
            }
            case "crash" -> {
                System.out.println("Exception in thread main: something broke");
                System.exit(42);
            }
            default -> System.exit(99);
        }
    }
}
