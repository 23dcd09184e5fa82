"""Writers turn a plan (or rows made from plans) into bytes of one format each."""
