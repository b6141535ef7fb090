using Bff.Bench.Peer;

return await PeerHost.RunAsync(args);
