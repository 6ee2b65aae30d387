---------------------------- MODULE DmaIsolation ----------------------------
(***************************************************************************)
(* The abstract contract every protection design must keep.                *)
(*                                                                         *)
(* Memory is a set of cells (bytes) grouped into machine pages.  Pages are *)
(* owned by guests or by the hypervisor (which also holds the free pool),  *)
(* and ownership changes over time.  A channel is the device-side agent    *)
(* working for one guest (a NIC context).  For each channel the contract   *)
(* tracks two sets of cells:                                               *)
(*   posted[c] : the buffers the guest currently has posted for DMA, and   *)
(*   reach[c]  : every cell the device can touch for c from this state on  *)
(*               without any further software action (its capability).    *)
(* Device accesses themselves change no state, so the properties are put   *)
(* on reach: a device step is always enabled for a cell in reach, hence    *)
(* "no reachable state has a bad cell in reach" is the same as "no         *)
(* behaviour makes a bad access".                                          *)
(*                                                                         *)
(* Each protection spec instantiates this module with its own owners,      *)
(* postings and reach, and defines its InterGuestIsolation and             *)
(* IntraGuestProtection as these, so each property has one definition.     *)
(*                                                                         *)
(* Why the contract is its two invariants and nothing more: reach is a     *)
(* capability, everything the device can still touch from this state on,   *)
(* so any rule about how owners, postings and reach may change from one    *)
(* step to the next is a rule about the next state's reach.  This module   *)
(* used to have dynamics as well (a step that may change anything as long  *)
(* as new postings are memory the guest owns and both properties hold      *)
(* afterwards), and every design was checked to refine it.  A new posting  *)
(* enters the reach at once (a posted descriptor is fetchable, a mapped    *)
(* buffer translates), so the posting rule followed from                   *)
(* InterGuestIsolation, and the refinement failed exactly where an         *)
(* invariant did, in every run of the regression suite.  A second name for *)
(* the same check is not a second check, so the refinement runs were       *)
(* retired (docs/models.md).                                               *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS
  \* Guest virtual machines.
  Guests,
  \* The hypervisor as page owner; it also holds the pool of free pages.
  Hyp,
  \* Machine pages.
  Pages,
  \* Device-side agents (NIC contexts), each working for one guest at a time.
  Channels,
  \* Every byte of memory the device could address.
  Cells,
  \* The page a cell lies in.
  PageOf(_)

VARIABLES
  \* owner[p]: who owns page p now (a guest, or Hyp).
  owner,
  \* chanOwner[c]: the guest channel c works for.
  chanOwner,
  \* posted[c]: cells of the buffers c's guest has posted and not yet had retired.
  posted,
  \* reach[c]: cells the device can touch for c from now on without further software action.
  reach

vars == <<owner, chanOwner, posted, reach>>

Owners == Guests \cup {Hyp}

OwnedCells(g) == {a \in Cells : owner[PageOf(a)] = g}

TypeOK ==
  /\ owner \in [Pages -> Owners]
  /\ chanOwner \in [Channels -> Guests]
  /\ posted \in [Channels -> SUBSET Cells]
  /\ reach \in [Channels -> SUBSET Cells]

-----------------------------------------------------------------------------
(* The two properties, named once for the whole project.                   *)

\* Every device access on behalf of channel c's guest hits a page that guest owns at that moment.
InterGuestIsolation ==
  \A c \in Channels : \A a \in reach[c] : owner[PageOf(a)] = chanOwner[c]

\* The device touches only bytes of buffers the guest currently has posted.
IntraGuestProtection ==
  \A c \in Channels : reach[c] \subseteq posted[c]

=============================================================================
