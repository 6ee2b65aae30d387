------------------------------- MODULE MCCdna -------------------------------
(* Model values, symmetry and trace labelling for checking CdnaProtection. *)
EXTENDS CdnaProtection, TLC

\* Start from every assignment of contexts to guests, so guests and contexts are each fully symmetric.
MCInitCtxOwners == [Contexts -> Guests]

\* Sound: no definition singles out a guest or a context, and every assignment is an initial state.
\* Pages are not permuted: a buffer spills into the *next* page.
MCSymmetry == Permutations(Guests) \cup Permutations(Contexts)

(* For counterexample traces: every action of Next with its parameters, so *)
(* the trace explainer can name the parameters of each step.  A test       *)
(* checks that \E a : Fire(a) has exactly the state graph of Next.         *)

\* Every action instance of Next, by name and parameters.
TraceActions ==
  [AllocatePage |-> [g : Guests, p : Pages],
   FreePage |-> [g : Guests, p : Pages],
   TransferPage |-> [g : Guests, h : Guests, p : Pages],
   PostDescriptor |-> [c : Contexts, b : Buffers],
   RingDoorbell |-> [c : Contexts, v : 0..SeqMod-1],
   NicFetch |-> [c : Contexts],
   NicDma |-> [c : Contexts],
   ReapCompletions |-> [c : Contexts]]

\* Performs the action instance x of the action called name.
Fire(name, x) ==
  CASE name = "AllocatePage" -> AllocatePage(x.g, x.p)
    [] name = "FreePage" -> FreePage(x.g, x.p)
    [] name = "TransferPage" -> TransferPage(x.g, x.h, x.p)
    [] name = "PostDescriptor" -> PostDescriptor(x.c, x.b)
    [] name = "RingDoorbell" -> RingDoorbell(x.c, x.v)
    [] name = "NicFetch" -> NicFetch(x.c)
    [] name = "NicDma" -> NicDma(x.c)
    [] name = "ReapCompletions" -> ReapCompletions(x.c)

\* Next, rebuilt from the labelled instances (checked against Next by a test).
FiredNext == \E name \in DOMAIN TraceActions : \E x \in TraceActions[name] : Fire(name, x)
FiredSpec == Init /\ [][FiredNext]_vars
=============================================================================
