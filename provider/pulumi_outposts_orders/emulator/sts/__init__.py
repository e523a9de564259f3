"""The emulator's AWS STS (query protocol, on the same port): GetCallerIdentity and AssumeRole.

``responses`` reads and answers STS requests (``StsFront``); ``models`` holds the operations
(AssumeRole issues the temporary credentials that ``identity`` and ``auth`` then accept, for every
service).
"""
