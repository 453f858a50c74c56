namespace TaskQueue.Generators.Tests;
