--------------------------- MODULE MCCdnaHypercall ---------------------------
(* MCCdna for the models with the two-step enqueue hypercall            *)
(* (HypercallWindow = TRUE): the same symmetry and trace labelling, and  *)
(* the witness that the check-to-pin window is really raced.             *)
EXTENDS MCCdna

\* The hypercall has checked a buffer and not yet written it, and the guest's other vCPU is
\* trying to give one of its pages away: the step the pin must refuse (a design that pins only
\* after the check lets it through).  A safe design must reach this, or its "holds" says nothing.
WitnessGiveAwayDuringHypercall ==
  \E c \in Contexts :
    /\ call[c] # NoCall
    /\ \E p \in PagesOf(call[c]) : owner[p] = ctxOwner[c] /\ p \in Pinned
=============================================================================
