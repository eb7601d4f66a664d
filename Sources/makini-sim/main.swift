print("makini-sim")
