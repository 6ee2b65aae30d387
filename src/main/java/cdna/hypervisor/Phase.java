package cdna.hypervisor;

/**
 * TLA+ (ContextOwnership): phase[c], where a context is in the pipeline the
 * hypervisor walks it through to take it from one guest and give it to
 * another: assigned -> stopped -> quiesced -> unmapped -> free -> assigned.
 */
public enum Phase {
    ASSIGNED, STOPPED, QUIESCED, UNMAPPED, FREE;

    /** The spec's string for this phase ("assigned", ...). */
    public String specName() { return name().toLowerCase(java.util.Locale.ROOT); }
}
