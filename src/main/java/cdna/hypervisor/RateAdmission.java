package cdna.hypervisor;

import cdna.design.Design;

/**
 * The hypervisor's admission control for minimum rates: a context is given to
 * a guest only if the minimums promised to all assigned contexts still fit in
 * the link.  The known-bad design provisioning-admission-ignores-assigned
 * checks the new minimum alone.  Spec: Provisioning's Assign guard.
 */
public final class RateAdmission {
    private final int linkRate;
    private final boolean countsAssigned;

    public RateAdmission(int linkRate, Design design) {
        this.linkRate = linkRate;
        this.countsAssigned = design.admissionCountsAssigned();
    }

    /** Whether a context promised {@code minRate} may join contexts already promised {@code assignedMinimums} in all. */
    public boolean admits(int minRate, int assignedMinimums) {
        return (countsAssigned ? assignedMinimums + minRate : minRate) <= linkRate;
    }
}
