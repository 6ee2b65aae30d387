package cdna.design;

/**
 * Faults planted in the implementation's code, one step each, that no design
 * switch reaches.  They exist so a test can show that every property's oracle
 * catches a bug in the code, not only a design whose switches say it is
 * unsafe: the checker, the seeded random search and the fuzz driver must each
 * report the property named here.  Never set outside tests; the CLI cannot
 * set them.  {@link #property} is the property the fault breaks in
 * cdna-baseline (each is reached by the software design; see the tests).
 */
public enum Mutant {
    /** CDNA validation checks every page of a buffer but the last. */
    VALIDATE_SKIPS_LAST_PAGE("InterGuestIsolation"),
    /** The NIC's DMA engine moves one byte past the end of a descriptor (when that byte is in the same page). */
    DMA_ONE_BYTE_PAST_BUFFER("IntraGuestProtection"),
    /** StopContext forgets to take the doorbell and ring mappings from the outgoing guest. */
    STOP_KEEPS_GUEST_MAPPINGS("SingleOwner"),
    /** A function-level reset empties the rings but leaves the DMA engine running. */
    RESET_KEEPS_ENGINE("NoStaleDma"),
    /** StopContext neither settles the pending interrupt with the outgoing owner nor clears its bits. */
    STOP_LEAVES_INTERRUPT_PENDING("NoMisdirectedInterrupt"),
    /** AssignContext leaves the previous owner's vector in the context's interrupt remapping entry. */
    ASSIGN_KEEPS_OLD_IRTE("NoInjectedInterrupt"),
    /** StopContext clears the pending bits without the last virtual interrupt to the outgoing owner. */
    STOP_DROPS_INTERRUPT("NoLostInterrupt");

    private final String property;

    Mutant(String property) { this.property = property; }

    /** The property this fault breaks, by its one name. */
    public String property() { return property; }
}
