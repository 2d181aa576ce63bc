"""Starting a case: the notice reader and the commented case skeleton (`poa new`)."""
