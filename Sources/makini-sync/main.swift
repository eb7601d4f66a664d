print("makini-sync")
