namespace TaskQueue.Testing;
