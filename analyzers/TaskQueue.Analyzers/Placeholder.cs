namespace TaskQueue.Analyzers;
