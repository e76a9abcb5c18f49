// Interop tests start real peer processes and wait for their output with timeouts: run them one
// at a time so that a loaded machine (CI has two cores) cannot starve a peer past its timeout.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
