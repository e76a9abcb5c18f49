// Host tests start real servers and real peers (curl, openssl, browsers) on loopback ports: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
