----------------------------- MODULE TicksDefs -----------------------------
EXTENDS Naturals
\* How far the counter goes (a cfg may override it with <-[TicksDefs]).
Limit == 5
=============================================================================
