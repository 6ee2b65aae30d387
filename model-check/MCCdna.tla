------------------------------- MODULE MCCdna -------------------------------
(* Model values and symmetry for checking CdnaProtection with TLC.         *)
EXTENDS CdnaProtection, TLC

\* Start from every assignment of contexts to guests, so guests and contexts are each fully symmetric.
MCInitCtxOwners == [Contexts -> Guests]

\* Sound: no definition singles out a guest or a context, and every assignment is an initial state.
\* Pages are not permuted: a buffer spills into the *next* page.
MCSymmetry == Permutations(Guests) \cup Permutations(Contexts)
=============================================================================
