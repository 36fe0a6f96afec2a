using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/ThingLedger.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(ThingLedger.Benchmarks.CryptoBenchmarks).Assembly).Run(args);
