--------------------------- MODULE MCFullVirt ---------------------------
(* Model values, symmetry, trace labelling and witnesses for checking FullVirtualization. *)
EXTENDS FullVirtualization, TLC

\* Start from every assignment of contexts to guests, so guests and contexts are each fully symmetric.
MCInitCtxOwners == [Contexts -> Guests]

\* Guests and contexts are symmetric; pages are not (a GPA outside the p2m passes through as the same number).
MCSymmetry == Permutations(Guests) \cup Permutations(Contexts)

\* Every action instance of Next, by name and parameters (for trace labelling).
TraceActions ==
  [AllocatePage |-> [g : Guests, gp : GPages, p : Pages],
   FreePage |-> [g : Guests, gp : GPages],
   PostBuffer |-> [c : Contexts, gp : GPages],
   CompleteBuffer |-> [c : Contexts, b : Pages]]

\* Performs the action instance x of the action called name.
Fire(name, x) ==
  CASE name = "AllocatePage" -> AllocatePage(x.g, x.gp, x.p)
    [] name = "FreePage" -> FreePage(x.g, x.gp)
    [] name = "PostBuffer" -> PostBuffer(x.c, x.gp)
    [] name = "CompleteBuffer" -> CompleteBuffer(x.c, x.b)

\* Next, rebuilt from the labelled instances.
FiredNext == \E name \in DOMAIN TraceActions : \E x \in TraceActions[name] : Fire(name, x)
FiredSpec == Init /\ [][FiredNext]_vars

(* Reachability witnesses (docs/vacuity.md).                                *)

\* A context's guest has a GPA outside its memory whose machine page of the same number another guest owns:
\* the address a hostile driver writes to reach a foreign frame.
WitnessGpaOutsideMemory ==
  \E c \in Contexts, gp \in GPages :
    p2m[ctxOwner[c]][gp] = NoPage /\ owner[gp] \notin {Hyp, ctxOwner[c]}
=============================================================================
