namespace TaskQueue.Analyzers.Tests;
