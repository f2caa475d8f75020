"""Pages of sign-up applications: the CIO's question journey (`journey`) and the list,
detail and decision pages shared by CIOs and Cabinet Office approvers (`applications`)."""
