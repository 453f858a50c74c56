// BenchmarkDotNet micro benchmarks. Usage: dotnet run -c Release --project benchmarks/TaskQueue.MicroBenchmarks -- --filter '*'
// (add --job short for a quick pass). See docs/benchmarks.md.
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(TaskQueue.MicroBenchmarks.SerializerBenchmarks).Assembly).Run(args);
